// HAProxy's admin socket, as the lab reads it for `lab status`: one command,
// the reply, bounded in time.
import { connect } from 'node:net';

export function adminCommand(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let out = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no reply from ${socketPath} within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (d: string) => (out += d));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** `show stat` CSV -> proxy/server -> status (UP, DOWN, MAINT, "UP 1/2"...). */
export function serverStates(csv: string): Map<string, string> {
  const [header = '', ...rows] = csv.split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const px = columns.indexOf('pxname');
  const sv = columns.indexOf('svname');
  const st = columns.indexOf('status');
  const states = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split(',');
    const [p, s, status] = [cells[px], cells[sv], cells[st]];
    if (p && s && status !== undefined) states.set(`${p}/${s}`, status);
  }
  return states;
}
