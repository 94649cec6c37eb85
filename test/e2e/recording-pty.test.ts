// End to end: `--record NAME` on the built CLI in a real terminal (tmux)
// against a real sshd fleet. The console is resized, frozen (SIGSTOP) to
// read its last frame, then killed (SIGKILL: no chance to tidy up). The cast
// it leaves is played with asciinema in a second terminal of the final size,
// and the screen it draws must be the console's last frame, cell for cell.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { TmuxPane } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'baton-rec-'));
const state = join(dir, 'state');
const cast = join(state, 'baton', 'recordings', 'incident-1.cast');
let fleet: Fleet;
let live: TmuxPane;
let player: TmuxPane;

const tmux = (...args: string[]) => execFileSync('tmux', ['-S', join(dir, 'tmux.sock'), ...args], { encoding: 'utf8' });

beforeAll(async () => {
  fleet = await startFleet({ hosts: 3, firstAddress: '127.0.10.220' });
  const inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  live = new TmuxPane(dir, 'baton-rec');
  player = new TmuxPane(dir, 'baton-play');
  const cli = quote([process.execPath, CLI, '-i', inventory, '--known-hosts', fleet.knownHostsFile, '--interval', '0.5', '--record', 'incident-1']);
  // exec: the pane's process is baton itself, to freeze and kill.
  live.start(`exec env -u CI -u CONTINUOUS_INTEGRATION ${cli}`, 100, 30, { XDG_STATE_HOME: state });
});
afterAll(async () => {
  live?.kill();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('baton --record', () => {
  it('plays back to the frame the console showed when it was killed', async () => {
    await waitFor(() => /up 3\/3/.test(live.screen()), 15_000, 'all hosts up on screen');
    tmux('resize-window', '-t', 'baton-rec', '-x', '110', '-y', '32');
    await waitFor(() => live.screen().split('\n').some((l) => l.length === 110), 5000, 'a frame 110 wide');
    await new Promise((r) => setTimeout(r, 1200)); // a clock tick or two after the resize
    const pid = Number(live.format('#{pane_pid}'));
    process.kill(pid, 'SIGSTOP');
    const lastFrame = live.screen();
    process.kill(pid, 'SIGKILL');
    await waitFor(() => live.format('#{pane_dead}') === '1', 5000, 'baton gone');

    const lines = readFileSync(cast, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ version: 2, width: 100, height: 30 });
    // Every line the killed console left is whole.
    const events = lines.slice(1).map((l) => JSON.parse(l) as [number, string, string]);
    expect(events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['110x32']);
    expect(events.map((e) => e[0])).toEqual([...events.map((e) => e[0])].sort((a, b) => a - b));

    const done = join(dir, 'played');
    player.start(`asciinema play -i 0.01 ${quote([cast])} && touch ${quote([done])}; sleep 60`, 110, 32);
    await waitFor(() => existsSync(done), 20_000, 'asciinema play to finish');
    expect(player.screen()).toBe(lastFrame);
  });

  it('writes baton\'s events beside it on the same clock', () => {
    const castEnd = readFileSync(cast, 'utf8').trimEnd().split('\n').slice(1).map((l) => (JSON.parse(l) as [number])[0]).pop()!;
    const lines = readFileSync(`${cast}.events.jsonl`, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { t: number; type: string; at?: number; event?: { message: string; at: number } });
    const start = lines[0]!;
    expect(start).toMatchObject({ t: 0, type: 'start', cast: 'incident-1.cast' });
    const ups = lines.filter((l) => l.type === 'event' && / -> up$/.test(l.event!.message));
    expect(ups).toHaveLength(3);
    for (const l of ups) {
      expect(l.t).toBeCloseTo((l.event!.at - start.at!) / 1000, 3);
      // Connected while the console was drawing, before it was killed.
      expect(l.t).toBeGreaterThan(0);
      expect(l.t).toBeLessThan(castEnd);
    }
  });

  it('lists it with `baton record ls`', () => {
    const r = spawnSync(process.execPath, [CLI, 'record', 'ls', '--json'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_STATE_HOME: state } });
    expect(r.status).toBe(0);
    const { recordings } = JSON.parse(r.stdout) as { recordings: Array<Record<string, unknown>> };
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ name: 'incident-1.cast', width: 100, height: 30 });
    expect(recordings[0]!.durationSeconds).toBeGreaterThan(1);
    expect(recordings[0]!.events).toBeGreaterThanOrEqual(3);
    const text = spawnSync(process.execPath, [CLI, 'record', 'ls'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_STATE_HOME: state } });
    expect(text.stdout).toMatch(/^incident-1\.cast\s+\S+ \S+\s+0m\d\ds\s+100x30\s/m);
  });
});
