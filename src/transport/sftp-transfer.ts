// File transfer over the host's existing SSH connection (one SFTP channel on
// it, opened at the first transfer and kept for the next ones: no new
// handshake, and no new sftp-server on the host per file). Uploads land in a temp file beside the target and
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
    client.sftp((err, sftp) => (err ? reject(sftpOpenError(hostId, err)) : resolve(sftp)));
  });
}

/**
 * Why SFTP would not open, in words a sysadmin can act on. sshd starts
 * sftp-server through the login shell, so a login that prints (a ~/.bashrc
 * that echoes) sends text where SFTP expects its first packet's length, and
 * ssh2 only says that length is absurd: the length's four bytes are that text.
 */
export function sftpOpenError(hostId: string, err: Error): TransportError {
  const length = /Packet length (\d+) exceeds/.exec(err.message)?.[1];
  if (length !== undefined && Number(length) < 2 ** 32) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(Number(length));
    const text = bytes.toString('latin1');
    if (/^[\x20-\x7e\t\r\n]{4}$/.test(text)) {
      return new TransportError(
        'command-failed',
        `${hostId}: cannot open SFTP: the host sent text before SFTP began (${JSON.stringify(text)}…): the login prints something`,
        'make the login quiet when not interactive (a ~/.bashrc or profile that echoes: start ~/.bashrc with `case $- in *i*) ;; *) return;; esac`); scp and sftp fail there too',
      );
    }
  }
  return new TransportError('command-failed', `${hostId}: cannot open SFTP: ${err.message}`, 'is the sftp subsystem enabled in sshd_config?');
}

/** The host's SFTP channel: opened once, shared by its transfers, opened again after it ends. */
export class SftpChannel {
  private open: Promise<Sftp> | undefined;

  constructor(
    private readonly client: () => ssh2.Client,
    readonly hostId: string,
  ) {}

  get(): Promise<Sftp> {
    if (this.open) return this.open;
    const opening = openSftp(this.client(), this.hostId);
    this.open = opening;
    opening.then(
      (sftp) => sftp.once('close', () => this.forget(opening)),
      () => this.forget(opening),
    );
    return opening;
  }

  /** Ends the channel (a timed-out transfer: its requests may never be answered). */
  end(): void {
    const open = this.open;
    this.open = undefined;
    void open?.then((sftp) => sftp.end(), () => undefined);
  }

  private forget(which: Promise<Sftp>): void {
    if (this.open === which) this.open = undefined;
  }
}

/** Runs `work` on the host's SFTP channel; a timeout ends the channel (and so every transfer on it). */
async function withSftp<T>(channel: SftpChannel, timeoutMs: number, work: (sftp: Sftp) => Promise<T>): Promise<T> {
  const sftp = await channel.get();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      channel.end();
      reject(new TransportError('timed-out', `${channel.hostId}: transfer timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(sftp), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A hidden temp name in the same directory, so the final rename stays on one filesystem. */
export function tempBeside(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.baton-tmp-${randomBytes(6).toString('hex')}`);
}

export async function sftpUpload(channel: SftpChannel, localPath: string, remotePath: string, options: UploadOptions = {}): Promise<TransferResult> {
  const started = Date.now();
  const { size } = await stat(localPath);
  const temp = tempBeside(remotePath);
  const mode = options.mode ?? 0o644;
  const hostId = channel.hostId;
  return withSftp(channel, options.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS, async (sftp) => {
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

export async function sftpDownload(channel: SftpChannel, remotePath: string, localPath: string, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<TransferResult> {
  const started = Date.now();
  await mkdir(dirname(localPath), { recursive: true });
  const temp = tempBeside(localPath);
  try {
    await withSftp(channel, timeoutMs, (sftp) => call(`${channel.hostId}: read ${remotePath}`, (cb) => sftp.fastGet(remotePath, temp, cb)));
    await rename(temp, localPath);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  const { size } = await stat(localPath);
  return { bytes: size, durationMs: Date.now() - started };
}
