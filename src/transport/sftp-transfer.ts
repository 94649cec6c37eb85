// File transfer over the host's existing SSH connection (an SFTP channel on
// it, no new handshake). Uploads land in a temp file beside the target and
// are renamed over it (posix-rename@openssh.com), so a reader never sees half
// a file and a failed upload leaves the old one untouched.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type ssh2 from 'ssh2';
import { TransportError, type TransferResult, type UploadOptions } from './types.js';

type Sftp = ssh2.SFTPWrapper;

const DEFAULT_TRANSFER_TIMEOUT_MS = 120_000;

function call<T = void>(what: string, fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, value) => (err ? reject(new TransportError('command-failed', `${what}: ${err.message}`)) : resolve(value as T)));
  });
}

function openSftp(client: ssh2.Client, hostId: string): Promise<Sftp> {
  return new Promise((resolve, reject) => {
    client.sftp((err, sftp) => (err ? reject(new TransportError('command-failed', `${hostId}: cannot open SFTP: ${err.message}`, 'is the sftp subsystem enabled in sshd_config?')) : resolve(sftp)));
  });
}

/** Runs `work` on a fresh SFTP channel, closed afterwards; a timeout ends the channel. */
async function withSftp<T>(client: ssh2.Client, hostId: string, timeoutMs: number, work: (sftp: Sftp) => Promise<T>): Promise<T> {
  const sftp = await openSftp(client, hostId);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      sftp.end();
      reject(new TransportError('timed-out', `${hostId}: transfer timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(sftp), expired]);
  } finally {
    clearTimeout(timer);
    sftp.end();
  }
}

/** A hidden temp name in the same directory, so the final rename stays on one filesystem. */
export function tempBeside(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.baton-tmp-${randomBytes(6).toString('hex')}`);
}

export async function sftpUpload(client: ssh2.Client, hostId: string, localPath: string, remotePath: string, options: UploadOptions = {}): Promise<TransferResult> {
  const started = Date.now();
  const { size } = await stat(localPath);
  const temp = tempBeside(remotePath);
  const mode = options.mode ?? 0o644;
  return withSftp(client, hostId, options.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS, async (sftp) => {
    try {
      await call(`${hostId}: write ${temp}`, (cb) => sftp.fastPut(localPath, temp, { mode }, cb));
      await call(`${hostId}: chmod ${temp}`, (cb) => sftp.chmod(temp, mode, cb));
      if (options.backupPath) {
        const backup = options.backupPath;
        const exists = await call<unknown>(`${hostId}: stat ${remotePath}`, (cb) => sftp.lstat(remotePath, cb)).then(() => true, () => false);
        if (exists) await call(`${hostId}: keep ${remotePath} as ${backup}`, (cb) => sftp.ext_openssh_hardlink(remotePath, backup, cb));
      }
      await call(`${hostId}: rename ${temp} to ${remotePath}`, (cb) => sftp.ext_openssh_rename(temp, remotePath, cb));
    } catch (err) {
      await call('', (cb) => sftp.unlink(temp, cb)).catch(() => undefined);
      throw err;
    }
    return { bytes: size, durationMs: Date.now() - started };
  });
}

export async function sftpDownload(client: ssh2.Client, hostId: string, remotePath: string, localPath: string, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<TransferResult> {
  const started = Date.now();
  await mkdir(dirname(localPath), { recursive: true });
  const temp = tempBeside(localPath);
  try {
    await withSftp(client, hostId, timeoutMs, (sftp) => call(`${hostId}: read ${remotePath}`, (cb) => sftp.fastGet(remotePath, temp, cb)));
    await rename(temp, localPath);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  const { size } = await stat(localPath);
  return { bytes: size, durationMs: Date.now() - started };
}
