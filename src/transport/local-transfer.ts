// upload/download for the local transport: the same temp-file-and-rename
// contract as SFTP, on this machine's filesystem.
import { chmod, copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempBeside } from './sftp-transfer.js';
import { TransportError, type TransferResult, type UploadOptions } from './types.js';

async function copyAtomically(from: string, to: string, mode: number | undefined, backupPath?: string): Promise<TransferResult> {
  const started = Date.now();
  const temp = tempBeside(to);
  try {
    await copyFile(from, temp);
    if (mode !== undefined) await chmod(temp, mode);
    if (backupPath) {
      const exists = await stat(to).then(() => true, () => false);
      if (exists) await link(to, backupPath);
    }
    await rename(temp, to);
  } catch (err) {
    await rm(temp, { force: true });
    throw new TransportError('command-failed', `local: ${(err as Error).message}`);
  }
  return { bytes: (await stat(to)).size, durationMs: Date.now() - started };
}

export function localUpload(localPath: string, targetPath: string, options: UploadOptions = {}): Promise<TransferResult> {
  return copyAtomically(localPath, targetPath, options.mode ?? 0o644, options.backupPath);
}

export async function localDownload(sourcePath: string, localPath: string): Promise<TransferResult> {
  await mkdir(dirname(localPath), { recursive: true });
  return copyAtomically(sourcePath, localPath, undefined);
}
