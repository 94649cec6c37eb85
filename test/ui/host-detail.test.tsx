import { cleanup } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { fleetStore } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

test('enter opens every metric, the connection, recent events and the log tail; esc goes back', async () => {
  const asked: string[] = [];
  const m = mount(fleetStore(), {
    fetchHostLog: (id) => {
      asked.push(id);
      return Promise.resolve(`${id} kernel: line one\n${id} sshd: line \x1b[2Jtwo\n`);
    },
  });
  await tick();
  await press(m, 'j', 'j', KEYS.enter);
  await tick();
  const text = screen(m);
  expect(asked).toEqual(['web03']);
  expect(text).toMatch(/┏━ web03 /);
  expect(text).toMatch(/load\s+9\.50 0\.40 0\.30 \/ 4 cores\s+cpu 95%\s+mem 85% of 8\.0G\s+swap 0%/);
  expect(text).toMatch(/disks\s+\/ 40% of 50G/);
  expect(text).toMatch(/network\s+rx 1\.2K\/s\s+tx 800B\/s\s+uptime 3d4h/);
  expect(text).toMatch(/connect\s+ops@web03\.example\.net:22/);
  expect(text).toMatch(/keys\s+~\/\.ssh\/id_ed25519/);
  expect(text).toMatch(/host key SHA256:web03key/);
  expect(text).toMatch(/events\s+\d\d:\d\d:\d\d web03 connecting -> up/);
  expect(text).toMatch(/system log · 2 lines/);
  expect(text).toContain('web03 sshd: line two');
  expect(text).toContain('j/k scroll log');
  await press(m, KEYS.escape);
  expect(screen(m)).toMatch(/┏━ Hosts 6\/6/);
});

test('a failing log fetch shows its message; r reloads', async () => {
  let calls = 0;
  const m = mount(fleetStore(), {
    fetchHostLog: () => {
      calls++;
      return Promise.reject(new Error('lb01: no readable system log'));
    },
  });
  await tick();
  await press(m, 'G', KEYS.enter);
  await tick();
  expect(screen(m)).toContain('lb01: no readable system log');
  expect(screen(m)).toMatch(/state\s+unreachable since/);
  expect(screen(m)).toMatch(/error\s+\d\d:\d\d:\d\d lb01: connection refused — is sshd running\?/);
  await press(m, 'r');
  expect(calls).toBe(2);
  expect(m.counters.refreshes).toBe(1);
});

test('the log scrolls from its tail', async () => {
  const log = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
  const m = mount(fleetStore(), { fetchHostLog: () => Promise.resolve(log) });
  await tick();
  await press(m, KEYS.enter);
  await tick();
  expect(screen(m)).toContain('line 99');
  await press(m, 'k', 'k');
  expect(screen(m)).not.toContain('line 99');
  expect(screen(m)).toContain('line 97');
  expect(screen(m)).toContain('2 up');
  await press(m, 'g');
  expect(screen(m)).toContain('line 0');
  await press(m, 'G');
  expect(screen(m)).toContain('line 99');
});

test(':host NAME opens a detail; an unknown name is reported', async () => {
  const m = mount(fleetStore());
  await tick();
  await press(m, ':', ...'host db02', KEYS.enter);
  expect(screen(m)).toMatch(/┏━ db02 /);
  await press(m, KEYS.escape, ':', ...'host nope', KEYS.enter);
  expect(screen(m)).toContain('no host "nope" in the inventory');
});
