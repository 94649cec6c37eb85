// End to end: the built CLI in a real pseudo-terminal (tmux) against a real
// sshd fleet: select three hosts with space, `!uptime`, confirm with y, and
// the Actions pane shows the output grouped under a folded nodeset, run over
// the console's own connections.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldNodeset } from '../../src/inventory/nodeset.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { TmuxPane } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
let fleet: Fleet;
let pane: TmuxPane;
const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-exec-'));
const state = join(dir, 'state');

beforeAll(async () => {
  fleet = await startFleet({ hosts: 4, perProcess: 2, firstAddress: '127.0.38.1' });
  const inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  pane = new TmuxPane(dir, 'baton-e2e-exec');
  const cli = quote([process.execPath, CLI, '-i', inventory, '--known-hosts', fleet.knownHostsFile, '--interval', '1']);
  // Its own journal: no other run's interrupted action in the way.
  pane.start(`env -u CI -u CONTINUOUS_INTEGRATION XDG_STATE_HOME=${quote([state])} ${cli}; echo baton-exit=$?`, 110, 34);
}, 60_000);
afterAll(async () => {
  pane?.kill();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const screen = () => pane.screen();

describe('! in the console', () => {
  it('runs uptime on three selected hosts and shows the grouped output', async () => {
    await waitFor(() => /up 4\/4/.test(screen()), 20_000, 'all hosts up');
    const chosen = foldNodeset(fleet.hosts.slice(0, 3).map((h) => h.id));
    for (let i = 1; i <= 3; i++) {
      pane.keys('Space');
      await waitFor(() => new RegExp(`${i} selected`).test(screen()), 5000, `${i} selected`);
    }
    pane.keys('!', true);
    await waitFor(() => /⏎ plan · esc cancel/.test(screen()), 5000, 'the command prompt');
    expect(screen()).toContain(`on ${chosen} (3 selected)`);
    pane.keys('uptime', true);
    pane.keys('Enter');
    await waitFor(() => /Confirm exec/.test(screen()), 10_000, 'the confirm dialog');
    expect(screen()).toMatch(/blast radius\s+3 hosts · no risk named/);
    expect(screen()).toMatch(/undo\s+no undo/);
    pane.keys('y', true);
    // Bounded but generous: the lock, the command and the journal on a loaded 2-core machine.
    await waitFor(() => /ok\s+█{3}\s+3\/3/.test(screen()), 60_000, 'the action done on three hosts');
    const out = screen();
    // uptime prints the time to the second: the hosts fold into one group, or a few when a second ticked between them.
    const heads = [...out.matchAll(/│ (\S+) \((\d)\) rc 0/g)];
    expect(heads.reduce((n, m) => n + Number(m[2]), 0)).toBe(3);
    expect(out).toMatch(/load average/);
    expect(out).toContain(`rc 0: ${chosen}`);
    expect(out).toContain(`exec "uptime" on ${chosen}`);
    // The journal of the run ended ok.
    const files = readdirSync(join(state, 'baton', 'journal'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(state, 'baton', 'journal', files[0]!), 'utf8')).toMatch(/"t":"end","at":\d+,"state":"ok"/);
  }, 120_000);

  it('quits with q', async () => {
    pane.keys('q', true);
    await waitFor(() => pane.format('#{pane_dead}') === '1', 10_000, 'baton exited');
    expect(pane.screen(true)).toContain('baton-exit=0');
  });
});
