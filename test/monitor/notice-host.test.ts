// Which inventory host a service notice is about: an etcd member by its
// client URL, a Pacemaker node by its name; none when it is not clear.
import { describe, expect, it } from 'vitest';
import { noticeHostResolver } from '../../src/monitor/notice-host.js';
import { spec } from '../ui/fixtures.js';

const db1 = { ...spec('db1', []), address: '10.0.0.4', roles: { etcd: { endpoint: 'https://10.0.0.4:2379' } } };
const db2 = { ...spec('db2', []), address: 'db2.example.net', roles: { etcd: {} } };
const node3 = { ...spec('node3.example.net', []), address: 'node3.example.net' };
const v6 = { ...spec('db6', []), address: '2001:db8::6' };
const hostOf = noticeHostResolver([db1, db2, node3, v6]);

describe('noticeHostResolver', () => {
  it('finds an etcd member by the endpoint its host is asked on, else by the URL\'s host', () => {
    expect(hostOf('https://10.0.0.4:2379')).toBe('db1');
    expect(hostOf('http://db2.example.net:2379')).toBe('db2');
    expect(hostOf('https://[2001:db8::6]:2379')).toBe('db6');
  });

  it('finds a Pacemaker node by its name, short or full', () => {
    expect(hostOf('node3')).toBe('node3.example.net');
    expect(hostOf('node3.example.net')).toBe('node3.example.net');
    expect(hostOf('db2')).toBe('db2');
  });

  it('names no host when none or several match, or there is no hint', () => {
    expect(hostOf('http://10.9.9.9:2379')).toBeUndefined();
    expect(hostOf(undefined)).toBeUndefined();
    const twins = noticeHostResolver([{ ...spec('a.one', []), address: 'a.one' }, { ...spec('a.two', []), address: 'a.two' }]);
    expect(twins('a')).toBeUndefined();
  });
});
