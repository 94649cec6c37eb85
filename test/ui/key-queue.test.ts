import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { firstKeyLength, KeyQueue, splitKeys, type Turns } from '../../src/ui/keymap/key-queue.js';

describe('splitKeys', () => {
  test('plain characters one by one, a code point outside the BMP whole', () => {
    expect(splitKeys('jjj')).toEqual(['j', 'j', 'j']);
    expect(splitKeys('a😀é')).toEqual(['a', '😀', 'é']);
  });

  test('an escape sequence (Ink hands one per event) stays whole', () => {
    expect(splitKeys('\x1b[5~')).toEqual(['\x1b[5~']);
    expect(splitKeys('\x1bj')).toEqual(['\x1bj']);
  });

  test('in text entry a printable run is one key; control keys stand alone', () => {
    expect(splitKeys('web0[12]\r', true)).toEqual(['web0[12]', '\r']);
    expect(splitKeys('ab\x7f\x7fcd\x15x\t', true)).toEqual(['ab', '\x7f', '\x7f', 'cd', '\x15', 'x', '\t']);
  });

  test('property: the keys put together give the event back; outside text entry each is one code point', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.boolean(), (text, textRun) => {
        const event = text.replaceAll('\x1b', '');
        const keys = splitKeys(event, textRun);
        expect(keys.join('')).toBe(event);
        if (!textRun) for (const k of keys) expect([...k]).toHaveLength(1);
        for (const k of keys) expect(firstKeyLength(k, textRun)).toBe(k.length);
      }),
    );
  });
});

/** Turns run by hand: `turn()` runs what the queue posted for the next turn. */
function manualTurns(): Turns & { turn(): void; waiting(): boolean } {
  let pending: (() => void) | undefined;
  return {
    next: (step) => {
      pending = step;
    },
    cancel: () => {
      pending = undefined;
    },
    turn: () => {
      const step = pending;
      pending = undefined;
      step?.();
    },
    waiting: () => pending !== undefined,
  };
}

describe('KeyQueue', () => {
  test('one key per turn, in order across events, each turn posted after the key before it was delivered', () => {
    const got: string[] = [];
    const turns = manualTurns();
    const queue = new KeyQueue((k) => got.push(k), () => false, turns);
    queue.push('jj');
    queue.push('\x1b[B');
    expect(got).toEqual([]);
    turns.turn();
    expect(got).toEqual(['j']);
    turns.turn();
    expect(got).toEqual(['j', 'j']);
    queue.push('k');
    turns.turn();
    turns.turn();
    expect(got).toEqual(['j', 'j', '\x1b[B', 'k']);
    turns.turn();
    expect(turns.waiting()).toBe(false);
    queue.push('g');
    expect(got).toHaveLength(4);
    turns.turn();
    expect(got.at(-1)).toBe('g');
  });

  test('a handler that throws does not stall the keys behind it', () => {
    const got: string[] = [];
    const turns = manualTurns();
    const queue = new KeyQueue(
      (k) => {
        got.push(k);
        if (k === 'x') throw new Error('handler failed');
      },
      () => false,
      turns,
    );
    queue.push('xy');
    expect(() => turns.turn()).toThrow('handler failed');
    turns.turn();
    expect(got).toEqual(['x', 'y']);
  });

  test('asks before each key whether text entry has focus', () => {
    const got: string[] = [];
    const turns = manualTurns();
    let entry = false;
    const queue = new KeyQueue(
      (k) => {
        got.push(k);
        if (k === '/') entry = true;
        if (k === '\r') entry = false;
      },
      () => entry,
      turns,
    );
    queue.push('j/web\rjj');
    while (turns.waiting()) turns.turn();
    expect(got).toEqual(['j', '/', 'web', '\r', 'j', 'j']);
  });

  test('stop drops what is queued', () => {
    const got: string[] = [];
    const turns = manualTurns();
    const queue = new KeyQueue((k) => got.push(k), () => false, turns);
    queue.push('abc');
    turns.turn();
    queue.stop();
    turns.turn();
    expect(got).toEqual(['a']);
  });
});
