// The database actions' arguments: one server; the promote guards only on promote.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/ops/engine/registry.js';
import { databaseArgsParser } from '../../../src/ops/database/database-args.js';

describe('databaseArgsParser', () => {
  it('takes one host, the typed set names on promote, and the lag limit and timeout in ms', () => {
    const promote = databaseArgsParser('postgresql', 'promote', 'a server with the postgresql role', 70);
    expect(promote(['db2'], { fenced: 'pg-main', maxLag: '5' })).toEqual({ op: 'promote', host: 'db2', fenced: 'pg-main', maxLagMs: 5000, timeoutMs: 70_000 });
    expect(promote(['db2'], {})).toEqual({ op: 'promote', host: 'db2', maxLagMs: 60_000, timeoutMs: 70_000 });
  });

  it('refuses no host or two, and the promote guards on another operation, naming the action', () => {
    const stop = databaseArgsParser('mysql', 'stop-replica', 'a replica with the mysql role', 30);
    expect(() => stop([], {})).toThrow(new UsageError('mysql.stop-replica needs HOST (a replica with the mysql role)'));
    expect(() => stop(['a', 'b'], {})).toThrow(UsageError);
    expect(() => stop(['db2'], { acceptLag: 'my-main' })).toThrow('--fenced and --accept-lag are for mysql.promote');
  });
});
