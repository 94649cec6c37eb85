// The lab names a missing tool by its Debian package, and CI's
// install-deps.sh installs every package the lab needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPackages, missingBinaries, missingBinariesMessage, withSbin } from '../../src/lab/debian-packages.js';

describe('the lab packages', () => {
  it('are all installed by test/install-deps.sh', () => {
    const script = readFileSync(join(import.meta.dirname, '../install-deps.sh'), 'utf8');
    const listed = /^packages=\(([^)]*)\)/m.exec(script)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    expect(labPackages({ rabbitmq: true, corosync: true, postgresql: true, prometheus: true, mariadb: true }, true).filter((p) => !listed.includes(p))).toEqual([]);
  });

  it('name the package and `baton lab deps` for each missing binary', () => {
    const missing = missingBinaries('/nonexistent');
    expect(missing).toContainEqual({ binary: 'etcdctl', package: 'etcd-client' });
    expect(missing).toContainEqual({ binary: 'redis-cli', package: 'redis-tools' });
    expect(missing.map((m) => m.binary)).not.toContain('crm_mon'); // found in sbin even without it on PATH
    const message = missingBinariesMessage([{ binary: 'etcd', package: 'etcd-server' }, { binary: 'etcdctl', package: 'etcd-client' }]);
    expect(message).toBe('the lab needs etcd (package etcd-server), etcdctl (package etcd-client); install with: baton lab deps   (or: sudo apt-get install -y etcd-client etcd-server)');
  });

  it('need RabbitMQ only with --with rabbitmq, and warn about its system service', () => {
    expect(labPackages()).not.toContain('rabbitmq-server');
    expect(missingBinaries('/nonexistent', { rabbitmq: true })).toContainEqual({ binary: 'epmd', package: 'erlang-base' });
    expect(missingBinaries('/nonexistent').map((m) => m.binary)).not.toContain('epmd');
    expect(missingBinariesMessage([{ binary: 'rabbitmq-server', package: 'rabbitmq-server' }])).toMatch(/sudo apt-get install -y rabbitmq-server\); rabbitmq-server's package starts a system broker on every interface unless \/usr\/sbin\/policy-rc.d says `exit 101`/);
  });

  it('need corosync and pacemakerd only with --with corosync, or as root (the real 3-node cluster)', () => {
    expect(labPackages({}, false)).not.toContain('corosync');
    expect(labPackages({ corosync: true }, false)).toEqual(expect.arrayContaining(['corosync', 'pacemaker']));
    expect(labPackages({}, true)).toEqual(expect.arrayContaining(['corosync', 'pacemaker', 'resource-agents', 'pacemaker-resource-agents', 'iproute2', 'iputils-ping']));
    expect(missingBinaries('/nonexistent', {}, true)).toContainEqual({ binary: 'ping', package: 'iputils-ping' });
  });

  it('adds sbin to a PATH without it, once', () => {
    expect(withSbin('/usr/bin:/bin')).toBe('/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin');
    expect(withSbin('/usr/sbin:/usr/bin')).toBe('/usr/sbin:/usr/bin:/usr/local/sbin:/sbin');
  });
});
