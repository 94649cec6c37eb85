// Action figures for `baton bench`: the engine's exec and copy actions over
// warm connections (the console's, after its first poll) against
// parallel-ssh/parallel-scp and clush on the same real sshd fleet, and what
// the crash-safe journal (fsync per record) costs an exec round.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startFleet, type Fleet } from '../../lab/sshd-fleet.js';
import { journalDir } from '../../ops/engine/history.js';
import { currentOperator } from '../../ops/engine/operator.js';
import { execAction, parseExecArgs } from '../../ops/exec/exec-action.js';
import { copyAction } from '../../ops/files/copy-action.js';
import { HOST_PROBE_COMMAND } from '../../probes/host.js';
import { lockManagerFor } from '../action-session.js';
import { openSession, type Session } from '../session.js';
import { planAction, timeActionRound, timeJournaledRun, type ActionBenchDeps, type ActionRound } from './action-round.js';
import { benchSessionOptions } from './bench-session.js';
import { shellScriptCpuSeconds } from './cpu-accounting.js';
import { controlMasterOptions, runClush, runClushCopy, runPscp, runPssh, type ToolRun } from './external-tools.js';
import { ratio, seconds, toolNote, verdict } from './figure-format.js';
import { median } from './stats.js';

export const ACTION_PARTS = ['exec', 'copy', 'journal'] as const;
export type ActionPart = (typeof ACTION_PARTS)[number];

export interface ActionBenchOptions {
  hosts: number;
  /** Rounds of each baton figure and each tool; the median is printed. */
  rounds: number;
  parts: readonly ActionPart[];
  loginUser: string | undefined;
  log(line: string): void;
}

const TOOL_PARALLELISM = 32;
const COPY_BYTES = 2 ** 20;
/** Journal on/off rounds, alternated ABBA so drift in the machine's load cancels out. */
const JOURNAL_PAIRS = 10;

const ms = (v: number) => `${v.toFixed(0)} ms`;
const row = (figure: string, measured: string, vs: string, vsValue: string, r: string, target: string) =>
  `${figure.padEnd(41)}${measured.padEnd(16)}${vs.padEnd(13)}${vsValue.padEnd(22)}${r.padEnd(9)}${target}`;

/** The round whose total is the median: its phases are the ones printed. */
function medianRound(rounds: ActionRound[]): ActionRound {
  const m = median(rounds.map((r) => r.totalMs));
  return rounds.find((r) => r.totalMs === m)!;
}

async function toolRounds(rounds: number, run: () => Promise<ToolRun>): Promise<{ ms: number; first: ToolRun }> {
  const runs: ToolRun[] = [];
  for (let i = 0; i < rounds; i++) runs.push(await run());
  return { ms: median(runs.map((r) => r.ms)), first: runs.find((r) => r.exitCode !== 0) ?? runs[0]! };
}

async function batonRounds(rounds: number, round: () => Promise<ActionRound>): Promise<ActionRound[]> {
  const out: ActionRound[] = [];
  for (let i = 0; i < rounds; i++) out.push(await round());
  return out;
}

const phases = (r: ActionRound, observe: string, steps: string, after: string) =>
  `  phases of the median round: ${observe ? `${observe} ${ms(r.observeMs)}, ` : ''}locks ${ms(r.lockMs)}, ${steps} ${ms(r.stepsMs)}, ${after} ${ms(r.afterMs)}`;

async function execFigures(fleet: Fleet, deps: ActionBenchDeps, options: ActionBenchOptions, onRound: (ms: number) => void): Promise<string[]> {
  const { log, rounds } = options;
  // The probe script has newlines, which `baton exec`'s command line refuses
  // (one command per line); the planner gets it whole, as pssh and clush do.
  const args = { ...parseExecArgs(['all', 'true'], {}), command: HOST_PROBE_COMMAND };
  const client0 = process.cpuUsage();
  const baton = await batonRounds(rounds, () => timeActionRound(execAction, args, deps));
  const clientCpuS = cpuSeconds(process.cpuUsage(client0)) / rounds;
  const floor = hostSideFloor(options);
  log(`exec: running parallel-ssh -p ${TOOL_PARALLELISM}, clush -f ${TOOL_PARALLELISM} and pssh over warm ControlMaster sockets, ${rounds} rounds each...`);
  const pssh = await toolRounds(rounds, () => runPssh(fleet, TOOL_PARALLELISM, HOST_PROBE_COMMAND));
  const clush = await toolRounds(rounds, () => runClush(fleet, TOOL_PARALLELISM, HOST_PROBE_COMMAND));
  const cm = controlMasterOptions(fleet);
  await runPssh(fleet, TOOL_PARALLELISM, 'true', cm); // opens the masters
  const warm = await toolRounds(rounds, () => runPssh(fleet, TOOL_PARALLELISM, HOST_PROBE_COMMAND, cm));
  const b = median(baton.map((r) => r.totalMs));
  onRound(b);
  return [
    row('exec probe command, whole action', seconds(b), 'pssh round', seconds(pssh.ms), ratio(pssh.ms, b), `>= 50x ${verdict(pssh.ms / b >= 50)}${toolNote(pssh.first)}`),
    row('', '', 'pssh warm CM', seconds(warm.ms), ratio(warm.ms, b), `>= 5x  ${verdict(warm.ms / b >= 5)}${toolNote(warm.first)}`),
    row('', '', 'clush', seconds(clush.ms), ratio(clush.ms, b), `(no target)${toolNote(clush.first)}`),
    phases(medianRound(baton), '', 'steps', 'verify + logger + journal end + unlock'),
    `  baton's own CPU per round: ${clientCpuS.toFixed(2)} s`,
    `  floor: the probe command, one logger line and a lock file's removal per host cost ${floor.cpuS.toFixed(2)} s of CPU for ${options.hosts} hosts; on ${floor.cores} cores that is ${seconds(floor.ms)}: >= 50x pssh needs <= ${seconds(pssh.ms / 50)}, >= 5x warm CM <= ${seconds(warm.ms / 5)}`,
  ];
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** The work every host must do for an exec round (the command, the audit line, the lock), whoever drives it, on the cores the hosts share here. */
function hostSideFloor(options: ActionBenchOptions): { cpuS: number; cores: number; ms: number } {
  // The lock file is created inline (no fork) and removed with one `rm -f`, as the lock-dir backend does.
  const lock = '"${TMPDIR:-/tmp}/baton-floor-lock.$$"';
  const script = `${HOST_PROBE_COMMAND}\nlogger -t baton -- bench-floor\n: >${lock}; rm -f ${lock}`;
  const cpuS = shellScriptCpuSeconds(script, options.hosts, options.loginUser);
  const cores = availableParallelism();
  return { cpuS, cores, ms: (cpuS * 1000) / cores };
}

async function copyFigures(fleet: Fleet, deps: ActionBenchDeps, options: ActionBenchOptions, workDir: string): Promise<string[]> {
  const { log, rounds } = options;
  const payload = join(workDir, 'payload-1MiB.bin');
  writeFileSync(payload, randomBytes(COPY_BYTES), { mode: 0o644 });
  // Every fleet host is this machine: each tool writes into a directory of its own, which the login user may write.
  const remote = join(workDir, 'remote');
  mkdirSync(remote, { mode: 0o755 });
  const dest = (tool: string) => {
    const dir = join(remote, tool);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    return `${dir}/`;
  };
  const args = copyAction.parseArgs(['all', payload, dest('baton')], {});
  const baton = await batonRounds(rounds, () => timeActionRound(copyAction, args, deps));
  log(`copy: running parallel-scp -p ${TOOL_PARALLELISM} and clush -f ${TOOL_PARALLELISM} --copy, ${rounds} rounds each...`);
  const pscpDest = dest('pscp');
  const pscp = await toolRounds(rounds, () => runPscp(fleet, TOOL_PARALLELISM, payload, pscpDest));
  const clushDest = dest('clush');
  const clush = await toolRounds(rounds, () => runClushCopy(fleet, TOOL_PARALLELISM, payload, clushDest));
  const b = median(baton.map((r) => r.totalMs));
  return [
    row('copy 1 MiB file, whole action', seconds(b), 'parallel-scp', seconds(pscp.ms), ratio(pscp.ms, b), `>= 5x  ${verdict(pscp.ms / b >= 5)}${toolNote(pscp.first)}`),
    row('', '', 'clush --copy', seconds(clush.ms), ratio(clush.ms, b), `(no target)${toolNote(clush.first)}`),
    phases(medianRound(baton), 'observe (sha256 on every host)', 'uploads', 'verify (sha256 again) + logger + journal end + unlock'),
  ];
}

/**
 * What the journal adds to an exec round: the steps timed with and without
 * it, so nothing else dilutes the difference; then that difference over the
 * steps alone and, as the target reads, over the whole exec action (the exec
 * figure's median, when that part ran).
 */
async function journalFigure(deps: ActionBenchDeps, execRoundMs: number | undefined): Promise<string[]> {
  const args = { ...parseExecArgs(['all', 'true'], {}), command: HOST_PROBE_COMMAND };
  const withJournal: number[] = [];
  const without: number[] = [];
  const round = async (journal: boolean) => {
    const { plan } = await planAction(execAction, args, deps);
    const t = await timeJournaledRun(plan, deps.live.transports, deps.who, journal ? deps.journalDir : undefined);
    (journal ? withJournal : without).push(t);
  };
  await round(false); // warms the code paths: not counted
  withJournal.length = without.length = 0;
  for (let i = 0; i < JOURNAL_PAIRS; i++) {
    const order = i % 2 === 0 ? [true, false] : [false, true];
    for (const journal of order) await round(journal);
  }
  // Each pair ran back to back: its difference is the journal's cost in that moment of the machine's load.
  const costMs = median(withJournal.map((w, i) => w - without[i]!));
  const percent = (of: number) => `${costMs >= 0 ? '+' : ''}${((costMs / of) * 100).toFixed(1)} %`;
  const detail = `fsync ${ms(median(withJournal))} vs none ${ms(median(without))}, ${JOURNAL_PAIRS} pairs`;
  const steps = `${'journal overhead, of the steps'.padEnd(41)}${percent(median(without)).padEnd(16)}${detail.padEnd(44)}`;
  if (execRoundMs === undefined) return [`${steps}<= 5 % ${verdict(costMs <= 0.05 * median(without))}`];
  return [
    `${steps}(strictest reading, no target)`,
    `${'journal overhead, of an exec round'.padEnd(41)}${percent(execRoundMs).padEnd(16)}${`${ms(costMs)} of the exec figure's ${ms(execRoundMs)}`.padEnd(44)}<= 5 % ${verdict(costMs <= 0.05 * execRoundMs)}`,
  ];
}

/** Connects every host as the console's first poll does; throws unless all answered. */
async function warmSession(inventory: string, knownHosts: string, hosts: number): Promise<Session> {
  const session = await openSession({ ...benchSessionOptions(inventory, knownHosts), readOnly: false });
  const up = (await session.monitor.pollAll()).filter(Boolean).length;
  if (up < hosts) {
    await session.monitor.stop();
    throw new Error(`bench invalid: only ${up}/${hosts} hosts answered`);
  }
  return session;
}

export async function runActionBench(options: ActionBenchOptions): Promise<void> {
  const { log } = options;
  log('');
  log(`actions: starting ${options.hosts} real sshd hosts...`);
  // Host names of their own: lock files live in one place per machine (LOCK_ROOT), where other fleets' h001... may be locked.
  const ids = Array.from({ length: options.hosts }, (_, i) => `act${String(i + 1).padStart(3, '0')}`);
  const fleet = await startFleet({ hosts: options.hosts, loginUser: options.loginUser, ids });
  const workDir = mkdtempSync(join(tmpdir(), 'baton-bench-actions-'));
  chmodSync(workDir, 0o755);
  // Beside the real journal directory, so fsync costs what it costs there (/tmp may be a tmpfs), yet out of `baton history`.
  mkdirSync(dirname(journalDir()), { recursive: true, mode: 0o700 });
  const benchJournal = mkdtempSync(join(dirname(journalDir()), 'bench-journal-'));
  let session: Session | undefined;
  try {
    const inventory = join(fleet.dir, 'actions.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());
    session = await warmSession(inventory, fleet.knownHostsFile, options.hosts);
    const live = { state: session.store.getState(), inventory: session.inventory, transports: session.transports, now: Date.now };
    const deps: ActionBenchDeps = { live, locks: lockManagerFor(session), journalDir: benchJournal, who: currentOperator() };
    log(`actions: ${options.hosts} hosts connected; every baton figure is the median of ${options.rounds} rounds of the engine's whole action (lock files on the hosts, journal with fsync per record, logger line per host)`);
    const lines: string[] = [];
    // A part that cannot be measured says why; the others still print.
    const part = async (name: ActionPart, measure: () => Promise<string[]>) => {
      if (!options.parts.includes(name)) return;
      lines.push(...(await measure().catch((err: Error) => [`${name}: not measured: ${err.message}`])));
    };
    let execRoundMs: number | undefined;
    await part('exec', () => execFigures(fleet, deps, options, (roundMs) => (execRoundMs = roundMs)));
    await part('copy', () => copyFigures(fleet, deps, options, workDir));
    await part('journal', () => {
      log(`journal: ${JOURNAL_PAIRS} pairs of exec rounds with and without the journal...`);
      return journalFigure(deps, execRoundMs);
    });
    log('');
    log(row('figure', 'measured', 'vs', '', 'ratio', 'target'));
    for (const line of lines) log(line);
  } finally {
    await session?.monitor.stop();
    await fleet.stop();
    rmSync(workDir, { recursive: true, force: true });
    rmSync(benchJournal, { recursive: true, force: true });
  }
}
