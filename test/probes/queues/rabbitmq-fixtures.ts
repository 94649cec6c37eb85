// The real RabbitMQ captures (test/fixtures/queues/capture-rabbitmq.sh) fed
// through the probe's real shell command: a stand-in rabbitmqctl or curl on
// PATH prints a capture (stdout, stderr, exit code) and the command frames
// it as on a broker host. The curl stand-in also keeps the config it read on
// stdin, so tests see exactly what reached curl.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rabbitQueueProbeCommand, type RabbitQueueConfig } from '../../../src/probes/queues/rabbitmq-command.js';

export type RabbitState = 'steady' | 'backlog';
export const RABBIT_STATES: RabbitState[] = ['steady', 'backlog'];

export const rabbitFixture = (state: RabbitState, name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/queues/rabbitmq', state, name), 'utf8');

/** A capture of stderr (and stdout) ending in the `exit N` line the capture script added. */
export function failedCall(state: RabbitState, name: string): Reply {
  const text = rabbitFixture(state, name);
  const m = /\nexit (\d+)\n?$/.exec(text);
  if (!m) throw new Error(`${name}: no exit line`);
  const body = text.slice(0, m.index);
  // curl's and rabbitmqctl's complaints go to stderr; an empty JSON list is stdout.
  return body.trim().startsWith('[') ? { stdout: body, stderr: '', code: Number(m[1]) } : { stdout: '', stderr: body, code: Number(m[1]) };
}

export interface Reply {
  stdout: string;
  stderr: string;
  code: number;
}

export const LAB_CONFIG: RabbitQueueConfig = { vhost: '/', node: 'rabbit@127.0.3.5', rabbitmqctl: 'rabbitmqctl', sudo: false, deadLetters: ['orders.dlq'] };

export interface ProbeRun {
  output: string;
  /** What the curl stand-in read on stdin (its -K config); '' for rabbitmqctl. */
  curlConfig: string;
  /** The arguments the stand-in was called with, one per line. */
  argv: string[];
}

/** Runs the probe command under /bin/sh with the stand-in tool answering `reply`. */
export function runProbe(config: RabbitQueueConfig, reply: Reply, env: Record<string, string> = {}): ProbeRun {
  const dir = mkdtempSync(join(tmpdir(), 'baton-rabbit-probe-'));
  try {
    for (const [name, text] of Object.entries({ out: reply.stdout, err: reply.stderr })) writeFileSync(join(dir, name), text);
    const tool = [
      '#!/bin/sh',
      `printf '%s\\n' "$@" > ${dir}/argv`,
      // curl reads its config (-K -) from stdin; rabbitmqctl gets </dev/null.
      `cat > ${dir}/stdin`,
      `cat ${dir}/out; cat ${dir}/err >&2; exit ${reply.code}`,
    ].join('\n');
    for (const name of [config.rabbitmqctl, 'curl']) {
      writeFileSync(join(dir, name), tool);
      chmodSync(join(dir, name), 0o755);
    }
    const r = spawnSync('/bin/sh', ['-c', rabbitQueueProbeCommand(config)], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, ...env }, timeout: 10_000 });
    const read = (name: string) => {
      try {
        return readFileSync(join(dir, name), 'utf8');
      } catch {
        return '';
      }
    };
    return { output: r.stdout, curlConfig: config.management ? read('stdin') : '', argv: read('argv').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ok = (stdout: string): Reply => ({ stdout, stderr: '', code: 0 });
