// Lock keys carry names from CIBs, haproxy.cfg files and inventories: their
// tokens must be safe everywhere a key travels, and decode to the same key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHolder, describeHolder, encodeHolder, keyFromToken, lockToken } from '../../src/probes/lock-records.js';

describe('lock tokens', () => {
  it('hold only file-name and shell-safe characters and decode to the key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (key) => {
        const token = lockToken(key);
        expect(token).toMatch(/^[A-Za-z0-9._:=-]+$/);
        expect(token).not.toMatch(/^\.+$/);
        expect(keyFromToken(token)).toBe(key);
      }),
    );
  });

  it('turn hostile names into inert words', () => {
    expect(lockToken("haproxy:lb1:app/x; touch /tmp/pwned'")).toBe('haproxy:lb1:app=2Fx=3B=20touch=20=2Ftmp=2Fpwned=27');
    expect(lockToken('..')).toBe('=2E=2E');
    expect(lockToken('host:web1')).toBe('host:web1');
  });
});

describe('lock holders', () => {
  const holder = { user: 'ops', host: 'laptop', pid: 4242, action: `exec 'uptime' "$(reboot)"`, actionId: 'a1', since: Date.UTC(2026, 11, 3, 12, 3, 1) };

  it('travel as one base64 word and come back whole', () => {
    const word = encodeHolder(holder);
    expect(word).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(decodeHolder(word)).toEqual(holder);
  });

  it('never read as free when the record is unreadable', () => {
    const h = decodeHolder('not base64 json');
    expect(h.action).toMatch(/unreadable lock record/);
    expect(describeHolder(holder)).toMatch(/^ops@laptop \(pid 4242\) since \d\d:\d\d:\d\d: exec 'uptime'/);
  });
});
