// SHA-256 of a file here and on a host, to verify a transfer by content.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { quote } from 'shell-quote';
import type { Transport } from '../../transport/types.js';

export async function localSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `absent` when the file does not exist; the hash, or an error message. */
export type RemoteHash = { hash: string } | { absent: true } | { error: string };

export function remoteHashCommand(path: string): string {
  return `if [ -e ${quote([path])} ]; then sha256sum < ${quote([path])}; else echo absent; fi`;
}

export function parseRemoteHash(stdout: string, code: number | null, stderr: string): RemoteHash {
  const out = stdout.trim();
  if (code === 0 && out === 'absent') return { absent: true };
  const m = /^([0-9a-f]{64})\b/.exec(out);
  if (code === 0 && m) return { hash: m[1]! };
  return { error: (stderr.trim() || out || `exit ${code}`).split('\n')[0]! };
}

export async function remoteSha256(transport: Transport | undefined, path: string, timeoutMs = 30_000): Promise<RemoteHash> {
  if (!transport) return { error: 'no transport' };
  try {
    await transport.connect();
    // Inline: baton's own command, no exit; sha256sum is its only process.
    const r = await transport.exec(remoteHashCommand(path), { timeoutMs, inline: true });
    return parseRemoteHash(r.stdout, r.code, r.stderr);
  } catch (err) {
    return { error: (err as Error).message };
  }
}
