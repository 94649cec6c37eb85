// A real two-node RabbitMQ cluster on 127.0.26.1 and 127.0.26.2 (the queue
// lever's RabbitMQ half's own loopback addresses), for the live rebalance
// test. Everything lives in a temp dir: config, Mnesia, logs and the shared
// Erlang cookie (HOME). One epmd of our own on a port no system epmd uses,
// listening only on the two addresses and 127.0.0.1 (where a node
// registers), so the nodes have distinct names (epmd keys them by name).
// The CLI env file names node 1 as RABBITMQ_NODENAME: the CLI's own Erlang
// node is then `rabbitmqcli-N-rabbit1@127.0.26.1`, which node 2 can reach
// to send its half of a list_queues (with the machine's host name, which
// may resolve anywhere, node 2's answer never arrives and rabbitmqctl exits
// 70 after its timeout).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killTree, waitGone } from '../../../src/lab/process-tree.js';
import { epmdOnlyOn } from '../../../src/lab/rabbitmq/epmd-sockets.js';
import { RABBITMQ_SCRIPTS } from '../../../src/lab/rabbitmq/rabbitmq-files.js';

const EPMD_PORT = 4426;
/** Node start, await_startup included; a join; one CLI call. */
const START_TIMEOUT_S = 90;
const CTL_TIMEOUT_MS = 30_000;

export const CLUSTER_NODES = ['rabbit1@127.0.26.1', 'rabbit2@127.0.26.2'] as const;
export const RABBITMQCTL = join(RABBITMQ_SCRIPTS, 'rabbitmqctl');
export const RABBITMQ_QUEUES = join(RABBITMQ_SCRIPTS, 'rabbitmq-queues');

export interface RabbitCluster {
  dir: string;
  /** For RABBITMQ_CONF_ENV_FILE: what the CLI scripts need to reach the nodes. */
  cliEnvFile: string;
  /** rabbitmqctl (or rabbitmq-queues) against a node; throws with its output when it fails. */
  ctl(node: string, args: string[], tool?: string): string;
  stop(): Promise<void>;
}

const addressOf = (node: string): string => node.split('@')[1]!;
const erlangTuple = (address: string): string => `{${address.split('.').join(',')}}`;

/** Installed? Checked without running the CLI: `rabbitmqctl version` starts a system epmd (-daemon, port 4369) that would outlive the test. */
export function rabbitmqAvailable(): boolean {
  return [RABBITMQCTL, RABBITMQ_QUEUES, join(RABBITMQ_SCRIPTS, 'rabbitmq-server')].every((f) => existsSync(f)) && spawnSync('sh', ['-c', 'command -v epmd && command -v perl'], { timeout: 5000 }).status === 0;
}

/** `beforeJoin` runs while node 1 is alone: a quorum queue declared then has node 1 as its only member. */
export async function startRabbitCluster(beforeJoin?: (cluster: Pick<RabbitCluster, 'dir' | 'ctl'>) => void): Promise<RabbitCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-rabbit-cluster-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.erlang.cookie'), `baton-${process.pid}-${Date.now()}`, { mode: 0o400 });
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  const cliEnvFile = join(dir, 'cli-env.conf');
  writeFileSync(
    cliEnvFile,
    [`HOME=${home}`, `RABBITMQ_NODENAME=${CLUSTER_NODES[0]}`, 'RABBITMQ_USE_LONGNAME=true', `ERL_EPMD_PORT=${EPMD_PORT}`, `RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface ${erlangTuple(addressOf(CLUSTER_NODES[0]))}'`, ''].join('\n'),
  );
  const pids: number[] = [];
  const stop = async () => {
    // Nodes first (they would re-register), then epmd; the temp dir last.
    for (const pid of pids.slice(1).reverse()) await waitGone(killTree(pid), 5000);
    if (pids[0]) await waitGone(killTree(pids[0]), 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  const ctl = (node: string, args: string[], tool = RABBITMQCTL): string => {
    const r = spawnSync(tool, ['-q', '-n', node, ...args], { encoding: 'utf8', timeout: CTL_TIMEOUT_MS, env: { ...process.env, RABBITMQ_CONF_ENV_FILE: cliEnvFile } });
    if (r.status !== 0) throw new Error(`${tool} -n ${node} ${args.join(' ')}: exit ${r.status ?? r.signal}: ${(r.stderr + r.stdout).trim().slice(0, 800)}`);
    return r.stdout;
  };
  // Until the VM has registered with epmd, await_startup cannot reach it and exits at once.
  const awaitStartup = async (node: string, deadline: number): Promise<void> => {
    for (;;) {
      try {
        ctl(node, ['await_startup', '-t', String(Math.min(25, Math.max(1, Math.ceil((deadline - Date.now()) / 1000))))]);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${node} not started within ${START_TIMEOUT_S} s: ${(err as Error).message}\nlog:\n${readFileSync(join(dir, `${addressOf(node)}.log`), 'utf8').trim().split('\n').slice(-15).join('\n')}`);
        await sleep(1000);
      }
    }
  };
  try {
    const epmd = epmdOnlyOn([...CLUSTER_NODES.map(addressOf), '127.0.0.1'], EPMD_PORT);
    pids.push(spawn(epmd.command, epmd.args, { cwd: dir, stdio: 'ignore' }).pid!);
    await epmdListening(pids[0]!, addressOf(CLUSTER_NODES[0]));
    CLUSTER_NODES.forEach((node, i) => pids.push(startNode(dir, home, node, 25_671 + i)));
    const deadline = Date.now() + START_TIMEOUT_S * 1000;
    for (const node of CLUSTER_NODES) await awaitStartup(node, deadline);
    const [first, second] = CLUSTER_NODES;
    beforeJoin?.({ dir, ctl });
    ctl(second, ['stop_app']);
    ctl(second, ['join_cluster', first]);
    ctl(second, ['start_app']);
    await awaitStartup(second, Date.now() + START_TIMEOUT_S * 1000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, cliEnvFile, ctl, stop };
}

/** A port taken or epmd missing shows here, not as a node that never starts. */
async function epmdListening(pid: number, address: string): Promise<void> {
  for (let i = 0; ; i++) {
    // It dies at once when it cannot bind (another listener would answer the connect).
    if (await waitGone([pid], 0)) throw new Error(`epmd for the cluster exited at start: is ${address}:${EPMD_PORT} taken?`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port: EPMD_PORT, timeout: 500 });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.on('connect', () => done(true)).on('error', () => done(false)).on('timeout', () => done(false));
    });
    if (up && !(await waitGone([pid], 0))) return;
    if (i >= 50) throw new Error(`epmd did not listen on ${address}:${EPMD_PORT} within 5 s (port taken?)`);
    await sleep(100);
  }
}

/** The Debian package's rabbitmq-server for one node, every path and port its own; the VM itself is the child. */
function startNode(dir: string, home: string, node: string, distPort: number): number {
  const address = addressOf(node);
  const base = join(dir, address);
  mkdirSync(join(base, 'mnesia'), { recursive: true });
  mkdirSync(join(base, 'log'));
  const config = join(base, 'rabbitmq.conf');
  writeFileSync(config, [`listeners.tcp.1 = ${address}:5672`, 'log.console = true', 'log.console.level = warning', 'log.file = false', ''].join('\n'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    // A path that does not exist: /etc/rabbitmq/rabbitmq-env.conf must not apply.
    RABBITMQ_CONF_ENV_FILE: join(dir, 'no-env.conf'),
    RABBITMQ_NODENAME: node,
    RABBITMQ_USE_LONGNAME: 'true',
    RABBITMQ_NODE_IP_ADDRESS: address,
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_ADDRESS: address,
    ERL_EPMD_PORT: String(EPMD_PORT),
    ERL_CRASH_DUMP: join(base, 'log', 'erl_crash.dump'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `-kernel inet_dist_use_interface ${erlangTuple(address)} -start_epmd false`,
    // The script then execs erl: the pid is the VM's own.
    RUNNING_UNDER_SYSTEMD: 'true',
  };
  const log = openSync(join(dir, `${address}.log`), 'a');
  try {
    return spawn(join(RABBITMQ_SCRIPTS, 'rabbitmq-server'), [], { cwd: dir, env, stdio: ['ignore', log, log] }).pid!;
  } finally {
    closeSync(log);
  }
}
