// Ansible host patterns: `name[:port]`, `[v6]:port`, and ranges expanded as
// Ansible's expand_hostname_range does: `web[01:20]` keeps the padding,
// `db-[a:f]` runs through letters, `[1:10:2]` steps, several ranges multiply.

export class HostPatternError extends Error {
  override readonly name = 'HostPatternError';
}

export interface HostPattern {
  hosts: string[];
  port?: number;
}

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${RANGE})(?:[\p{L}\p{N}_-]|${RANGE})*(?<![_-])`;
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
const IPV4 = /^(?:(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\[[0-9]+:[0-9]+(?::[0-9]+)?\])\.){3}(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\[[0-9]+:[0-9]+(?::[0-9]+)?\])$/;
// Looser than Ansible's: an address of hex groups and colons with at least two colons.
const IPV6 = /^(?=(?:[^:]*:){2})[0-9a-f:.[\]]+$/i;
/** A typo such as [1:1000000000] must not exhaust memory. */
const MAX_HOSTS = 100_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ansible's _expand_hostpattern: a name that does not parse as host[:port] is taken whole. */
export function expandHostPattern(pattern: string): HostPattern {
  const { host, port } = splitPort(pattern);
  if (pattern.trim().endsWith(':') && port === undefined) {
    throw new HostPatternError(`invalid host pattern "${pattern}": a trailing ":" is reserved for a port`);
  }
  const hosts = host.includes('[') ? expandRange(host) : [host];
  return port === undefined ? { hosts } : { hosts, port };
}

function splitPort(pattern: string): { host: string; port?: number } {
  const match = BRACKETED_HOSTPORT.exec(pattern) ?? HOSTPORT.exec(pattern);
  const host = match?.[1] ?? pattern;
  const valid = IPV4.test(host) || IPV6.test(host) || HOSTNAME.test(host);
  if (!valid) return { host: pattern };
  return match?.[2] === undefined ? { host } : { host, port: Number(match[2]) };
}

function expandRange(line: string): string[] {
  // Ansible splits at the first "[" and the first "]", whatever their order.
  const parts = line.replace('[', '|').replace(']', '|').split('|');
  if (parts.length !== 3) throw new HostPatternError(`unbalanced brackets in host range "${line}"`);
  const [head = '', range = '', tail = ''] = parts;
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new HostPatternError(`host range must be begin:end or begin:end:step in "${line}"`);
  const [begin = '', end = '', stepText = '1'] = bounds;
  const beg = begin === '' ? '0' : begin;
  if (end === '') throw new HostPatternError(`host range must specify an end value in "${line}"`);
  const step = integer(stepText, line);
  if (step <= 0) throw new HostPatternError(`host range step must be positive in "${line}"`);
  const padded = beg.startsWith('0') && beg.length > 1;
  if (padded && beg.length !== end.length) throw new HostPatternError(`host range must have begin and end of equal length in "${line}"`);
  const fill = (n: number) => (padded ? String(n).padStart(beg.length, '0') : String(n));
  let sequence: string[];
  if (beg.length === 1 && end.length === 1 && LETTERS.includes(beg) && LETTERS.includes(end)) {
    const [from, to] = [LETTERS.indexOf(beg), LETTERS.indexOf(end)];
    if (from > to) throw new HostPatternError(`host range must have begin <= end in "${line}"`);
    sequence = [...LETTERS.slice(from, to + 1)].filter((_, i) => i % step === 0);
  } else {
    const [from, to] = [integer(beg, line), integer(end, line)];
    sequence = [];
    if ((to - from) / step >= MAX_HOSTS) throw new HostPatternError(`host range "${line}" names more than ${MAX_HOSTS.toLocaleString('en')} hosts`);
    for (let n = from; n <= to; n += step) sequence.push(fill(n));
  }
  return sequence.flatMap((part) => {
    const name = head + part + tail;
    return name.includes('[') ? expandRange(name) : [name];
  });
}

function integer(text: string, line: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new HostPatternError(`"${text}" is not a number in host range "${line}"`);
  return Number(text);
}
