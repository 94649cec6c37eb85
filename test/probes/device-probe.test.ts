// The device probe's parser on the real ping, nc and bash output captured by
// test/fixtures/device/capture.sh, the command's quoting, and properties.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceProbeCommand, parseDeviceProbe } from '../../src/probes/device-probe.js';

const DIR = join(import.meta.dirname, '../fixtures/device');
const parse = (name: string) => parseDeviceProbe(readFileSync(join(DIR, name), 'utf8'));
const result = (name: string) => {
  const r = parse(name);
  if (r.kind !== 'result') throw new Error(`${name}: ${r.message}`);
  return r.result;
};

describe('parseDeviceProbe: ICMP (ping -c1 -W1)', () => {
  it('reads the round trip of a reply', () => {
    expect(result('icmp-reply.txt')).toEqual({ reachable: true, rttMs: 0.043, reason: null });
  });

  it('is unreachable without a reply, or with an error ping explains', () => {
    expect(result('icmp-no-reply.txt')).toEqual({ reachable: false, rttMs: null, reason: 'no reply within 1 s' });
    expect(result('icmp-network-unreachable.txt')).toEqual({ reachable: false, rttMs: null, reason: 'connect: Network is unreachable' });
    expect(result('icmp-unknown-host.txt')).toEqual({ reachable: false, rttMs: null, reason: 'no-such-host.invalid: Name or service not known' });
  });

  it('is a parse error where there is no ping', () => {
    expect(parse('icmp-no-ping.txt')).toMatchObject({ kind: 'parse-error', message: 'device probe: no ping where it runs: install it there' });
  });
});

describe('parseDeviceProbe: TCP', () => {
  it('reads the connect time, with nc or with bash', () => {
    expect(result('tcp-open.txt')).toEqual({ reachable: true, rttMs: 8.495, reason: null });
    expect(result('tcp-open-bash.txt')).toEqual({ reachable: true, rttMs: 10.919, reason: null });
  });

  it('says refused or timed out', () => {
    expect(result('tcp-refused.txt')).toEqual({ reachable: false, rttMs: null, reason: 'Connection refused' });
    expect(result('tcp-refused-bash.txt')).toEqual({ reachable: false, rttMs: null, reason: 'Connection refused' });
    expect(result('tcp-timeout.txt')).toEqual({ reachable: false, rttMs: null, reason: 'no connection within 1 s' });
    expect(result('tcp-timeout-bash.txt')).toEqual({ reachable: false, rttMs: null, reason: 'no connection within 1 s' });
  });

  it('leaves the time unknown where date has no nanoseconds', () => {
    expect(parseDeviceProbe('@@baton:tcp\n@@baton:exit 0\n@@baton:elapsed-us ?\n')).toEqual({ kind: 'result', result: { reachable: true, rttMs: null, reason: null } });
  });
});

describe('deviceProbeCommand', () => {
  it('quotes the address', () => {
    const cmd = deviceProbeCommand({ name: 'x', type: 'other', address: "a'b", probe: { kind: 'icmp' }, from: { kind: 'local' } });
    expect(cmd).toContain(`ping -n -c 1 -W 1 "a'b"`);
  });
});

describe('properties', () => {
  it('never throws; a result is reachable exactly when it has no reason', () => {
    const lines = fc.oneof(fc.string(), fc.constantFrom('@@baton:icmp', '@@baton:tcp', '@@baton:exit 0', '@@baton:exit 1', '@@baton:exit 124', '@@baton:elapsed-us 12', 'time=0.1 ms', 'nc: connect to a port 1 (tcp) failed: Connection refused'));
    fc.assert(
      fc.property(fc.array(lines, { maxLength: 8 }), (parts) => {
        const r = parseDeviceProbe(parts.join('\n'));
        if (r.kind === 'result') expect(r.result.reachable).toBe(r.result.reason === null);
      }),
      { numRuns: 1000 },
    );
  });
});
