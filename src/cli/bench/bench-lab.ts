// What the lab-based bench parts (detection, failover, drills) share: a lab
// of their own in a temp dir with a polling session on it, always taken
// down; and the operator's own tools to compare with (OpenSSH over a warm
// ControlMaster, socat on HAProxy's admin socket).
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostSpec } from '../../inventory/types.js';
import { labFiles, type LabFiles } from '../../lab/lab-paths.js';
import { DEFAULT_LAB_HOSTS } from '../../lab/layout.js';
import { runLabDown } from '../lab/lab-down.js';
import { runLabUp } from '../lab/lab-up.js';
import type { GlobalOptions } from '../options.js';
import { openSession, type Session } from '../session.js';

const run = promisify(execFile);

export interface BenchLab {
  dir: string;
  files: LabFiles;
  options: GlobalOptions;
  session: Session;
}

/** Starts a lab in a temp dir and a session polling it (read-only unless asked), runs `work`, then takes both down. */
export async function withBenchLab<T>(name: string, sessionOptions: (inventory: string) => GlobalOptions, work: (lab: BenchLab) => Promise<T>, readOnly = true): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `baton-bench-${name}-`));
  const files = labFiles(dir);
  try {
    if ((await runLabUp({ dir, hosts: DEFAULT_LAB_HOSTS.length, ttl: 15 * 60 })) !== 0) throw new Error('bench: the lab did not start');
    const options = { ...sessionOptions(files.inventory), ...(readOnly ? {} : { readOnly: false }) };
    const session = await openSession(options);
    session.monitor.start();
    try {
      return await work({ dir, files, options, session });
    } finally {
      await session.monitor.stop();
    }
  } finally {
    await runLabDown({ dir });
    await rm(dir, { recursive: true, force: true });
  }
}

/** OpenSSH to a lab host over a ControlMaster socket kept warm across calls, as an operator's ssh config would. */
export function sshTo(host: HostSpec, knownHosts: string, controlDir: string, timeoutMs?: number): (command: string) => Promise<string> {
  const base = ['-p', String(host.port), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=2', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'ControlMaster=auto', '-o', 'ControlPersist=120', '-o', `ControlPath=${join(controlDir, 'cm-%C')}`];
  for (const id of host.identityFiles) base.push('-i', id);
  return async (command) => (await run('ssh', [...base, `${host.user}@${host.address}`, command], { timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 })).stdout;
}

/** One command on HAProxy's admin socket with socat, as by hand; without blocking the event loop the engine runs on. */
export function socat(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', ['stdio', `UNIX-CONNECT:${socket}`], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`socat exited ${code}`))));
    child.stdin.end(`${command}\n`);
  });
}
