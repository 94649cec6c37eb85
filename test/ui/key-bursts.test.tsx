// Several keys in one read of the terminal (a paste, a slow SSH link) act
// as the same keys pressed one at a time, in order.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { waitFor } from '../helpers/wait-for.js';
import { fleetStore } from './fixtures.js';
import { KEYS, mount, screen, tick, type Mounted } from './render-app.js';

afterEach(cleanup);

const cursorHost = (text: string) => /│>.\S+\s+(\S+)/.exec(text)?.[1];

async function cursorReaches(m: Mounted, host: string): Promise<void> {
  await waitFor(() => cursorHost(screen(m)) === host, 2000, `cursor on ${host} (screen:\n${screen(m)})`);
}

async function mounted(): Promise<Mounted> {
  const m = mount(fleetStore());
  await tick();
  expect(cursorHost(screen(m))).toBe('web01');
  return m;
}

describe('keys in one write', () => {
  test('jjj moves three rows, then k one back', async () => {
    const m = await mounted();
    m.stdin.write('jjj');
    await cursorReaches(m, 'db01');
    m.stdin.write('kG');
    await cursorReaches(m, 'lb01');
  });

  test('characters and escape sequences mixed: jj, down arrow, two down arrows', async () => {
    const m = await mounted();
    m.stdin.write(`jj${KEYS.down}`);
    await cursorReaches(m, 'db01');
    m.stdin.write(`${KEYS.up}${KEYS.up}j`);
    await cursorReaches(m, 'web03');
  });

  test('a pasted filter reaches the filter line whole, then enter keeps it', async () => {
    const m = await mounted();
    m.stdin.write(`/web0[12]${KEYS.enter}`);
    await waitFor(() => m.app.ui.getState().mode === 'normal', 2000, 'enter after the filter');
    await waitFor(() => screen(m).includes('Hosts 2/6'), 2000, 'the filtered table drawn');
    expect(m.app.ui.getState().filters.hosts).toBe('web0[12]');
    // A backspace in the burst edits the text typed before it.
    m.stdin.write(`/${KEYS.backspace}${KEYS.backspace}${KEYS.backspace}${KEYS.backspace}3${KEYS.enter}j`);
    await waitFor(() => m.app.ui.getState().filters.hosts === 'web03', 2000, 'filter edited to web03');
  });

  test('a command typed in one write runs', async () => {
    const m = await mounted();
    m.stdin.write(`:view hosts${KEYS.enter}`);
    await waitFor(() => m.app.ui.getState().view === 'hosts', 2000, 'hosts view');
    expect(m.app.ui.getState().mode).toBe('normal');
  });

  test('a key after one that opens the help goes to the help, not to the view', async () => {
    const m = await mounted();
    m.stdin.write('?q');
    await waitFor(() => m.app.ui.getState().mode === 'normal' && !screen(m).includes('command palette'), 2000, 'help opened and closed');
    await tick(50);
    expect(m.counters.quits).toBe(0);
  });
});
