// Two consoles moving the same resource at once (issue 12): two `baton act
// pacemaker.move` processes race on one cluster, a CIB file the real
// scheduler converges (no lab: only one runs per machine). Exactly one
// moves it; the other exits 3 naming the holder of the resource's lock,
// before it changes anything. Needs the built CLI (npm run build).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP, startConverge, writePlainCib, type Converge } from './cib-cluster.js';

const CLI = join(import.meta.dirname, '../../../../dist/cli/main.js');
// Its own cluster name: its own lock key, whatever else runs on the machine.
const CLUSTER = `race-${process.pid}`;

let dir = '';
let cib = '';
let inventory = '';
let converge: Converge | undefined;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baton(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '-i', inventory], { env: { ...process.env, CIB_file: cib, XDG_STATE_HOME: join(dir, 'state') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const crm = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CIB_file: cib } });

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = mkdtempSync(join(tmpdir(), 'baton-pcmk-race-'));
  cib = writePlainCib(dir);
  inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, `hosts:\n  pm1:\n    transport: local\n    roles: { pacemaker: { cluster: ${CLUSTER} } }\n`);
  // One scheduler run a second: the winner holds the lock while it waits for the move.
  converge = startConverge(cib, 1000);
});

afterAll(async () => {
  await converge?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two baton act pacemaker.move of one resource at once', () => {
  it('exactly one moves it; the other exits 3 naming the holder', async () => {
    expect(crm('crm_resource', '--locate', '--resource', GROUP)).toContain('is running on: node1');
    const runs = await Promise.all([baton('act', 'pacemaker.move', GROUP, 'node3', '--yes', '--timeout', '30'), baton('act', 'pacemaker.move', GROUP, 'node3', '--yes', '--timeout', '30')]);
    const said = runs.map((r) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`).join('\n---\n');
    expect(runs.map((r) => r.code).sort(), said).toEqual([0, 3]);
    const loser = runs.find((r) => r.code === 3)!;
    expect(loser.stderr).toMatch(new RegExp(`refused: pacemaker:${CLUSTER}:resource:${GROUP} is held by \\S+@\\S+ \\(pid \\d+\\) since \\d\\d:\\d\\d:\\d\\d: pacemaker\\.move ${GROUP} node3 \\(cluster ${CLUSTER}\\)`));
    // The winner's move is done and verified: it runs there, and its constraint is gone (it stays without it).
    expect(crm('crm_resource', '--locate', '--resource', GROUP)).toContain('is running on: node3');
    expect(crm('cibadmin', '--query', '--scope', 'constraints')).not.toContain('cli-prefer');
    // One journal, the winner's: the loser was refused before it began.
    expect(readdirSync(join(dir, 'state', 'baton', 'journal'))).toHaveLength(1);
  }, 90_000);
});
