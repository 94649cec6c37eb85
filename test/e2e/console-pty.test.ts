// End to end: the built CLI in a real pseudo-terminal (tmux) against a real
// sshd fleet. It starts in the alternate screen, shows the hosts, filters,
// opens help, shows a killed host as unreachable, and `q` leaves the
// terminal as it found it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { TmuxPane } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
let fleet: Fleet;
let pane: TmuxPane;
const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));

beforeAll(async () => {
  fleet = await startFleet({ hosts: 3, perProcess: 1 });
  const inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  pane = new TmuxPane(dir, 'baton-e2e');
  // Ink draws nothing when CI is set; the operator's terminal never has it.
  const cli = quote([process.execPath, CLI, '-i', inventory, '--known-hosts', fleet.knownHostsFile, '--interval', '0.5']);
  pane.start(`env -u CI -u CONTINUOUS_INTEGRATION ${cli}; echo baton-exit=$?`, 100, 30);
});
afterAll(async () => {
  pane?.kill();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const screen = () => pane.screen();
const hostRow = (id: string, state: string) => new RegExp(`${state}\\s+${id}\\s`);

describe('baton console in a pseudo-terminal', () => {
  it('starts in the alternate screen and shows every host up', async () => {
    await waitFor(() => /up 3\/3/.test(screen()), 15_000, 'all hosts up on screen');
    expect(pane.format('#{alternate_on}')).toBe('1');
    // Every frame lands where the previous one was: no stale first frame left.
    expect(screen().match(/ baton /g)).toHaveLength(1);
    for (const h of fleet.hosts) expect(screen()).toMatch(hostRow(h.id, 'up'));
  });

  it('filters the host table with /', async () => {
    pane.keys('/');
    // Typed apart, as a person types (the next test sends its keys in one write).
    await waitFor(() => /regex · !negate/.test(screen()), 5000, 'filter prompt');
    pane.keys('h002', true);
    pane.keys('Enter');
    // The prompt gone says Enter was read: the table filters while typing, so its title alone does not.
    await waitFor(() => /Hosts 1\/3/.test(screen()) && !/regex · !negate/.test(screen()), 5000, 'filter applied');
    expect(screen()).toMatch(hostRow('h002', 'up'));
    expect(screen()).not.toMatch(hostRow('h001', 'up'));
    pane.keys('Escape');
    await waitFor(() => /Hosts 3\/3/.test(screen()), 5000, 'filter cleared');
  });

  it('acts on every key of one write, in order (a paste, a slow link)', async () => {
    const cursorHost = () => /[│┃]>.\S+\s+(\S+)/.exec(screen())?.[1];
    expect(cursorHost()).toBe('h001');
    // send-keys -l hands the whole string to the pane in one write: one read for baton.
    pane.keys('jj', true);
    await waitFor(() => cursorHost() === 'h003', 5000, 'cursor two rows down');
    pane.keys('k/h002', true);
    await waitFor(() => /Hosts 1\/3/.test(screen()), 5000, 'filter typed after the k');
    pane.keys('Escape');
    await waitFor(() => /Hosts 3\/3/.test(screen()), 5000, 'filter cleared');
    expect(cursorHost()).toBe('h002');
  });

  it('moves focus with Tab without shifting pane contents', async () => {
    pane.keys('Tab');
    await waitFor(() => /╭─ Hosts/.test(screen()), 5000, 'hosts pane unfocused');
    const lines = screen().split('\n');
    const title = lines.findIndex((l) => l.includes('─ Hosts'));
    expect(lines[title + 1]).toMatch(/STATE\s+HOST/);
    pane.keys('BTab');
    await waitFor(() => /┏━ Hosts/.test(screen()), 5000, 'hosts pane focused again');
  });

  it('opens help with ? and closes it', async () => {
    pane.keys('?');
    await waitFor(() => /Help/.test(screen()) && /command palette/.test(screen()), 5000, 'help overlay');
    pane.keys('Escape');
    await waitFor(() => !/command palette/.test(screen()), 5000, 'help closed');
  });

  it('shows a killed host as unreachable while the others stay up', async () => {
    await fleet.kill(1);
    await waitFor(() => hostRow('h002', 'unreachable').test(screen()), 10_000, 'h002 unreachable on screen');
    expect(screen()).toMatch(hostRow('h001', 'up'));
    expect(screen()).toMatch(/up 2\/3/);
  });

  it('quits with q and leaves the alternate screen', async () => {
    pane.keys('q');
    await waitFor(() => pane.format('#{pane_dead}') === '1', 10_000, 'baton exited');
    expect(pane.format('#{alternate_on}')).toBe('0');
    // The main screen is back as it was, with only the shell's line on it
    // (tmux's own "Pane is dead" notice may scroll it into history).
    const main = pane.screen(true);
    expect(main).toContain('baton-exit=0');
    expect(main).not.toMatch(/Hosts \d|baton i/);
  });
});
