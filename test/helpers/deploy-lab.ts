// Deploys against the test lab: the CLI with its own journal dir, traffic on
// HAProxy's frontend while it runs, and what each web host serves.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { TrafficProbe, type TrafficRecord } from '../../src/ops/drills/traffic-probe.js';
import { httpGet } from '../../src/ops/drills/traffic-request.js';
import { BATON_CLI, type TestLab } from './lab.js';

const run = promisify(execFile);
export const FRONTEND = 'http://127.0.3.6:8000/version';
export const WEB = ['127.0.3.1', '127.0.3.2', '127.0.3.3'];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function batonIn(lab: TestLab, state: string) {
  return (...args: string[]): Promise<CliResult> =>
    run(process.execPath, [BATON_CLI, ...args, '-i', lab.files.inventory], { env: { ...process.env, XDG_STATE_HOME: state }, timeout: 180_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: CliResult) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
}

export const versions = (): Promise<Array<string | undefined>> => Promise.all(WEB.map(async (a) => (await httpGet(`http://${a}:8080/version`, 2000)).detail?.trim()));

/** Runs `command` with 40 requests/s on the frontend from 1 s before to `after` ms after it. */
export async function underTraffic(command: () => Promise<CliResult>, after = 1000): Promise<{ result: CliResult; records: TrafficRecord[]; endedAt: number; failed: TrafficRecord[] }> {
  const probe = new TrafficProbe({ name: 'frontend', http: FRONTEND, rate: 40, timeout: 2000, slow: 500 }, () => httpGet(FRONTEND, 2000));
  probe.start();
  await sleep(1000);
  const result = await command();
  const endedAt = performance.timeOrigin + performance.now();
  await sleep(after);
  await probe.stop();
  return { result, records: probe.records, endedAt, failed: probe.records.filter((r) => r.outcome !== 'ok') };
}
