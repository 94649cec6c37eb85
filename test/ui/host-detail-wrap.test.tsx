// The host detail at 100 columns: a long, multi-line error (the host-key
// mismatch, with the command that fixes it) wraps instead of being cut.
import { cleanup } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { describeMismatch } from '../../src/transport/known-hosts.js';
import { fleetStore, T0 } from './fixtures.js';
import { mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

const KNOWN_HOSTS = '/home/operator/.ssh/known_hosts';

test('the whole host-key-mismatch message shows, ssh-keygen -R line included, and the log keeps its room', async () => {
  const store = fleetStore();
  const message = describeMismatch('db02.example.net', 2222, 'SHA256:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHE', KNOWN_HOSTS, 17);
  const hint = `remove the old key from ${KNOWN_HOSTS}:17 only after verifying the new one`;
  store.getState().applyUpdates([{ hostId: 'db02', kind: 'conn', conn: 'hostkey-mismatch', at: T0, reason: message, hint }]);
  const m = mount(store, { size: { columns: 100, rows: 40 }, fetchHostLog: () => Promise.resolve('a log line') });
  await tick();
  await press(m, ':', ...'host db02', '\r');
  await tick();
  const text = screen(m);
  // The frame's rows, without borders, joined back: every word of the message is there, in order.
  const rows = text.split('\n').map((r) => r.replace(/^[│┃] ?/, '').replace(/ *[│┃]$/, ''));
  const flat = rows.join(' ').replace(/\s+/g, ' ');
  for (const part of [...message.split('\n'), hint]) expect(flat).toContain(part.trim().replace(/\s+/g, ' '));
  // The command stands whole on a row of its own, to be copied.
  const command = message.split('\n').at(-1)!.trim();
  expect(command).toMatch(/^ssh-keygen -R .*db02\.example\.net.* -f \/home\/operator\/\.ssh\/known_hosts$/);
  expect(rows.map((r) => r.trim())).toContain(command);
  expect(text).toContain('a log line');
});
