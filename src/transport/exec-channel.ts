// A command on its own SSH channel (for ops and log tails, in parallel with
// the probe shell). It first reports its remote pid on stderr so a timeout can
// kill it and its children on the host.
import { randomBytes } from 'node:crypto';
import { quote } from 'shell-quote';
import type ssh2 from 'ssh2';
import { TransportError, type CommandResult } from './types.js';

export function runOnChannel(
  client: ssh2.Client,
  command: string,
  timeoutMs: number,
  killRemote: (pid: number) => void,
  abort?: AbortSignal,
): Promise<CommandResult> {
  const token = randomBytes(12).toString('hex');
  const marker = Buffer.from(`${token} PID `);
  const wrapped = `printf '%s %s\\n' ${token}' PID' "$$" >&2; exec /bin/sh -c ${quote([command])}`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    client.exec(wrapped, (err, channel) => {
      if (err) {
        reject(new TransportError('command-failed', `cannot open a channel: ${err.message}`));
        return;
      }
      const out: Buffer[] = [];
      let errBuf = Buffer.alloc(0);
      let pid: number | undefined;
      let timedOut = false;
      let code: number | null = null;
      let signal: string | undefined;
      const kill = () => {
        if (pid !== undefined) killRemote(pid);
        channel.close();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      abort?.addEventListener('abort', kill, { once: true });
      channel.on('data', (c: Buffer) => out.push(c));
      channel.stderr.on('data', (c: Buffer) => {
        errBuf = Buffer.concat([errBuf, c]);
        if (pid !== undefined) return;
        const at = errBuf.indexOf(marker);
        const eol = at < 0 ? -1 : errBuf.indexOf(0x0a, at);
        if (eol < 0) return;
        pid = Number(errBuf.subarray(at + marker.length, eol).toString('latin1'));
        errBuf = Buffer.concat([errBuf.subarray(0, at), errBuf.subarray(eol + 1)]);
      });
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal ?? undefined;
      });
      channel.on('close', () => {
        clearTimeout(timer);
        abort?.removeEventListener('abort', kill);
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: errBuf.toString('utf8'),
          code: timedOut ? null : code,
          signal: timedOut ? 'KILL' : signal,
          timedOut,
          durationMs: Date.now() - started,
        });
      });
    });
  });
}
