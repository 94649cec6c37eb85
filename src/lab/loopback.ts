// Loopback addresses and ports for the lab: everything it starts binds inside
// 127.0.0.0/8, so a lab can never be reached from, or clash with, the network.
import { createServer, connect } from 'node:net';

const LAST_ALLOWED = 127 * 2 ** 24 + 2 ** 24 - 2; // 127.255.255.254: .255.255.255 is the /8 broadcast

function toNumber(address: string, what: string): number {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || octets[0] !== 127) {
    throw new Error(`${what} must be an IPv4 address in 127.0.0.0/8, got ${address}`);
  }
  return octets.reduce((n, o) => n * 256 + o, 0);
}

/** `count` consecutive addresses from `first`, all inside 127.0.0.0/8. */
export function loopbackAddresses(first: string, count: number): string[] {
  const base = toNumber(first, 'firstAddress');
  if (base + count - 1 > LAST_ALLOWED) throw new Error(`${count} hosts from ${first} would leave 127.0.0.0/8`);
  return Array.from({ length: count }, (_, i) => {
    const n = base + i;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  });
}

/** Throws unless every address is a distinct IPv4 address inside 127.0.0.0/8. */
export function checkLoopback(addresses: readonly string[]): void {
  for (const a of addresses) toNumber(a, 'every address');
  const duplicate = addresses.find((a, i) => addresses.indexOf(a) !== i);
  if (duplicate !== undefined) throw new Error(`address ${duplicate} is listed twice`);
}

/** Whether `port` can be bound on every address right now. */
export async function portFreeOn(addresses: readonly string[], port: number): Promise<boolean> {
  for (const address of addresses) if ((await bindOnce(address, port)) === undefined) return false;
  return true;
}

/** A port free on every address, found by binding it; a daemon can still lose a race for it. */
export async function freePort(addresses: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await bindOnce(addresses[0] ?? '127.0.1.1', 0);
    if (port !== undefined && (await portFreeOn(addresses.slice(1), port))) return port;
  }
  throw new Error(`no TCP port is free on all of ${addresses[0]}..${addresses.at(-1)}`);
}

function bindOnce(address: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: address, port }, () => {
      const bound = server.address();
      server.close(() => resolve(typeof bound === 'object' && bound ? bound.port : undefined));
    });
  });
}

/** True when something accepts a TCP connection on host:port within a second. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => () => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', done(true));
    socket.once('error', done(false));
    socket.once('timeout', done(false));
  });
}
