// One bounded HTTP GET, for health checks of the lab's own services.
import { get } from 'node:http';

export interface HttpReply {
  status: number;
  body: string;
}

/** Resolves with the reply, or undefined when nothing answers within timeoutMs. */
export function httpGet(url: string, timeoutMs = 1000): Promise<HttpReply | undefined> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}
