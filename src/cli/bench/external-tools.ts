// The tools baton is measured against, run for real on the same fleet with
// the same probe command: parallel-ssh (pssh) and ClusterShell's clush.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Fleet } from '../../lab/sshd-fleet.js';

export interface ToolRun {
  ms: number;
  exitCode: number | null;
  stderrTail: string;
}

/** `cmd args` to its end, timed; stdout dropped, the end of stderr kept. */
export function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ToolRun> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(env ? { env } : {}) });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, exitCode, stderrTail: stderr.trim().slice(-300) }));
  });
}

/** OpenSSH ControlMaster options that make pssh reuse warm connections. */
export function controlMasterOptions(fleet: Fleet): string[] {
  // %C keeps the socket path short (unix sockets allow ~108 bytes).
  return ['ControlMaster=auto', 'ControlPersist=300', `ControlPath=${join(fleet.dir, 'cm-%C')}`].flatMap((o) => ['-O', o]);
}

export function runPssh(fleet: Fleet, parallelism: number, command: string, extra: string[] = []): Promise<ToolRun> {
  return timed('parallel-ssh', ['-p', String(parallelism), '-t', '120', '-h', fleet.psshHostsFile, '-x', `-F ${fleet.sshConfigFile}`, ...extra, command]);
}

export function runClush(fleet: Fleet, fanout: number, command: string): Promise<ToolRun> {
  const nodes = fleet.hosts.map((h) => h.id).join(',');
  return timed('clush', ['-f', String(fanout), '-u', '120', '-o', `-F ${fleet.sshConfigFile}`, '-w', nodes, '-q', '-S', command]);
}

/** parallel-scp (pssh's scp): `local` to `remote` on every host. */
export function runPscp(fleet: Fleet, parallelism: number, local: string, remote: string): Promise<ToolRun> {
  return timed('parallel-scp', ['-p', String(parallelism), '-t', '120', '-h', fleet.psshHostsFile, '-x', `-F ${fleet.sshConfigFile}`, local, remote]);
}

/** clush --copy (scp underneath): `local` into `destDir` on every host. */
export function runClushCopy(fleet: Fleet, fanout: number, local: string, destDir: string): Promise<ToolRun> {
  const nodes = fleet.hosts.map((h) => h.id).join(',');
  return timed('clush', ['-f', String(fanout), '-u', '120', '-o', `-F ${fleet.sshConfigFile}`, '-w', nodes, '-q', '--copy', local, '--dest', destDir]);
}

/** parallel-rsync (pssh's rsync -a over ssh): `local` to `remote` on every host; `rsyncArgs` go to rsync (`--dry-run`). */
export function runPrsync(fleet: Fleet, parallelism: number, local: string, remote: string, rsyncArgs: string[] = []): Promise<ToolRun> {
  return timed('parallel-rsync', ['-p', String(parallelism), '-t', '300', '-h', fleet.psshHostsFile, '-S', `-F ${fleet.sshConfigFile}`, '-a', '-r', ...rsyncArgs.flatMap((a) => ['-X', a]), local, remote]);
}
