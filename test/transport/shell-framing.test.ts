// The framing runs here against real local shells (dash and bash): the same
// bytes the SSH transport writes to a remote `sh`.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FrameDecoder,
  frameRequest,
  killTreeCommand,
  newSessionToken,
  sessionPrelude,
  type FrameEvent,
} from '../../src/transport/shell-framing.js';

class LocalShell {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly token = newSessionToken();
  private readonly decoder = new FrameDecoder(this.token);
  private nextId = 1;
  private waiting: ((e: FrameEvent) => void) | undefined;

  constructor(shell: string, args = ['-s']) {
    this.child = spawn(shell, args);
    this.child.stdin.write(sessionPrelude(this.token));
    const on = (s: 'stdout' | 'stderr') => (chunk: Buffer) => {
      for (const e of this.decoder.feed(s, chunk)) this.waiting?.(e);
    };
    this.child.stdout.on('data', on('stdout'));
    this.child.stderr.on('data', on('stderr'));
  }

  run(command: string, onPid?: (pid: number) => void, inline = false): Promise<Extract<FrameEvent, { type: 'done' }>> {
    const id = this.nextId++;
    this.decoder.expect(id);
    return new Promise((resolve) => {
      this.waiting = (e) => {
        if (e.type === 'pid') onPid?.(e.pid);
        else resolve(e);
      };
      this.child.stdin.write(frameRequest(id, command, inline));
    });
  }

  close(): void {
    this.child.kill('SIGKILL');
  }
}

const shells = ['/bin/sh', '/bin/bash'].map((path) => ({ path, shell: new LocalShell(path) }));
afterAll(() => shells.forEach((s) => s.shell.close()));

describe.each(shells)('framing over $path', ({ shell }) => {
  it('separates stdout, stderr and the exit code', async () => {
    const r = await shell.run('echo out; echo err >&2; exit 3');
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr.toString()).toBe('err\n');
    expect(r.code).toBe(3);
  });

  it('keeps output without a trailing newline and the empty output', async () => {
    expect((await shell.run("printf 'no newline'")).stdout.toString()).toBe('no newline');
    const empty = await shell.run('true');
    expect(empty.stdout.length).toBe(0);
    expect(empty.stderr.length).toBe(0);
    expect(empty.code).toBe(0);
  });

  it('survives a syntax error and keeps serving', async () => {
    const bad = await shell.run("echo 'unclosed");
    expect(bad.code).not.toBe(0);
    expect((await shell.run('echo still alive')).stdout.toString()).toBe('still alive\n');
  });

  it('does not let a command read the request stream or kill the session', async () => {
    const r = await shell.run('cat; echo read-nothing; exit 0');
    expect(r.stdout.toString()).toBe('read-nothing\n');
    expect((await shell.run('exit 7')).code).toBe(7);
    expect((await shell.run('echo "[$bt_h$bt_t]"')).stdout.toString()).toBe('[]\n');
  });

  it('round-trips arbitrary bytes exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const b64 = Buffer.from(bytes).toString('base64');
        const r = await shell.run(`printf '%s' '${b64}' | base64 -d; printf '%s' '${b64}' | base64 -d >&2`);
        expect(Buffer.compare(r.stdout, Buffer.from(bytes))).toBe(0);
        expect(Buffer.compare(r.stderr, Buffer.from(bytes))).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('runs builtin-only probes inline, in the session shell, without a pid', async () => {
    let pid: number | undefined;
    const r = await shell.run('bt_x=kept; echo "$$"; false', (p) => (pid = p), true);
    expect(r.code).toBe(1);
    expect(pid).toBeUndefined();
    const sub = await shell.run('echo "$$ $bt_x"');
    expect(sub.stdout.toString()).toBe(`${r.stdout.toString().trim()} kept\n`);
  });

  it('reports the pid so a hung command and its children can be killed', async () => {
    let pid = 0;
    const killer = (p: number) => {
      pid = p;
      spawn('/bin/sh', ['-c', killTreeCommand(p)]);
    };
    const r = await shell.run('sleep 30 & sleep 30; echo never', killer);
    expect(pid).toBeGreaterThan(1);
    expect(r.code).toBe(137);
    expect(r.stdout.toString()).toBe('');
  });
});

describe('a shell that greets before its first request', () => {
  // As a chatty ~/.bashrc does, on both streams; the greeting has no newline at its end.
  const greeting = new LocalShell('/bin/sh', ['-c', "printf 'Welcome\\nno newline'; printf 'notice' >&2; exec /bin/sh -s"]);
  afterAll(() => greeting.close());

  it('keeps the greeting out of every command\'s output', async () => {
    const first = await greeting.run('echo out; echo err >&2');
    expect(first.stdout.toString()).toBe('out\n');
    expect(first.stderr.toString()).toBe('err\n');
    expect((await greeting.run('printf %s "$$"', undefined, true)).stdout.toString()).toMatch(/^\d+$/);
  });
});

describe('FrameDecoder', () => {
  it('drops what comes before a frame\'s begin marker, even split across chunks', () => {
    const token = newSessionToken();
    const decoder = new FrameDecoder(token);
    const mark = token.head + token.tail;
    decoder.expect(1);
    const out = Buffer.from(`noise${mark} B 1\nmine${mark} E 1 0\n`);
    const err = Buffer.from(`noise${mark} B 1\n${mark} E 1\n`);
    const events = [];
    for (let i = 0; i < out.length; i += 7) events.push(...decoder.feed('stdout', out.subarray(i, i + 7)));
    for (let i = 0; i < err.length; i += 5) events.push(...decoder.feed('stderr', err.subarray(i, i + 5)));
    expect(events).toHaveLength(1);
    const done = events[0] as Extract<FrameEvent, { type: 'done' }>;
    expect(done.stdout.toString()).toBe('mine');
    expect(done.stderr.toString()).toBe('');
    expect(done.code).toBe(0);
  });
});

describe('killTreeCommand', () => {
  it('refuses pid 0 and 1', () => {
    expect(() => killTreeCommand(1)).toThrow(/refusing/);
    expect(() => killTreeCommand(0)).toThrow(/refusing/);
  });
});
