// `mysql.promote HOST [--fenced SET] [--accept-lag SET] [--max-lag S]`,
// `mysql.stop-replica HOST`, `mysql.start-replica HOST`; verify re-reads the server.
import type { Outcome, Plan } from '../engine/plan.js';
import { type ActionDefinition, type LiveContext, type VerifyResult } from '../engine/registry.js';
import { sleep } from '../failover/host-command.js';
import { describeMysql, observeMysql, type MyFacts } from './mysql-observe.js';
import { planMysql, type MyArgs, type MyOp } from './mysql-plan.js';
import { databaseArgsParser } from './database-args.js';

const DEADLINE_MS = 15_000;
export function judgeMysql(facts: MyFacts, args: MyArgs): { outcome: Outcome; detail: string } {
  const m = facts.members.find((x) => x.host === args.host);
  if (!m?.snapshot) return { outcome: 'unknown', detail: `${args.host} does not answer: ${m?.error ?? 'not read'}` };
  const s = m.snapshot;
  const c = s.channels[0];
  const ok = args.op === 'promote' ? s.channels.length === 0 && !s.readOnly : args.op === 'stop-replica' ? c?.ioRunning === 'No' && c.sqlRunning === 'No' : c?.ioRunning === 'Yes' && c.sqlRunning === 'Yes';
  return { outcome: ok ? 'ok' : 'failed', detail: describeMysql(m) };
}

async function verifyMysql(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as MyArgs;
  const started = Date.now();
  let last: { outcome: Outcome; detail: string } = { outcome: 'unknown', detail: 'not read' };
  while (Date.now() - started < DEADLINE_MS) {
    last = judgeMysql(await observeMysql(ctx), args);
    if (last.outcome === 'ok') break;
    await sleep(300);
  }
  return { outcome: last.outcome, detail: `${last.detail} (after ${((Date.now() - started) / 1000).toFixed(1)} s)` };
}

function myAction(op: MyOp, summary: string, usage: string): ActionDefinition<MyArgs, MyFacts> {
  return { name: `mysql.${op}`, summary, usage, scope: 'mysql.server', parseArgs: databaseArgsParser('mysql', op, 'a replica with the mysql role', 30), observe: observeMysql, plan: planMysql, verify: verifyMysql };
}

export const mysqlActions = [
  myAction('promote', 'promote a MySQL/MariaDB replica (STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=OFF), refused while another source takes writes or above --max-lag', 'HOST [--fenced SET] [--accept-lag SET] [--max-lag SECONDS]'),
  myAction('stop-replica', 'stop a MySQL/MariaDB replica\'s threads (maintenance; its lag grows)', 'HOST'),
  myAction('start-replica', 'start a MySQL/MariaDB replica\'s threads', 'HOST'),
];
