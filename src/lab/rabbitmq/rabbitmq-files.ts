// Everything the lab RabbitMQ reads lives under DIR/rabbitmq: its config,
// plugins list, definitions, Mnesia database and Erlang cookie (HOME), plus
// what mq1's SSH sessions need to use the CLI and the management API as the
// login user: their own copy of the cookie, an env file the CLI scripts
// source, and the monitoring user's password. Fresh at every start.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { chownTree } from '../chown-tree.js';
import type { LabHost } from '../component.js';
import { LAB_RABBITMQ } from '../layout.js';
import { labDefinitions, type RabbitCredentials } from './topology.js';

/** Where the Debian package keeps the real scripts; /usr/sbin's wrappers switch to the rabbitmq user. */
export const RABBITMQ_SCRIPTS = '/usr/lib/rabbitmq/bin';

export interface RabbitFiles {
  dir: string;
  nodeName: string;
  /** Sourced by the CLI scripts (RABBITMQ_CONF_ENV_FILE) in mq1's sessions and the lab's own calls. */
  cliEnvFile: string;
  monitorPasswordFile: string;
  /** The server's environment: every path and port, nothing from /etc/rabbitmq. */
  serverEnv: Record<string, string>;
}

/** `127.0.3.5` -> `{127,0,3,5}`, Erlang's address tuple for inet_dist_use_interface. */
function erlangAddress(address: string): string {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new Error(`rabbitmq: ${address} is not a 127.0.0.0/8 address`);
  return `{${address.split('.').join(',')}}`;
}

export async function writeRabbitFiles(labDir: string, host: LabHost, credentials: RabbitCredentials, loginUser: string | undefined): Promise<RabbitFiles> {
  const dir = join(labDir, 'rabbitmq');
  await rm(dir, { recursive: true, force: true });
  // 0711: the login user's sessions reach cli/ and the password file, nothing else.
  await mkdir(dir, { recursive: true, mode: 0o711 });
  await chmod(dir, 0o711);
  const home = join(dir, 'home');
  const cli = join(dir, 'cli');
  for (const d of [home, cli, join(dir, 'mnesia'), join(dir, 'log')]) await mkdir(d, { mode: 0o700 });

  const cookie = randomBytes(24).toString('hex');
  const nodeName = `rabbit@${host.address}`;
  const dist = `-kernel inet_dist_use_interface ${erlangAddress(host.address)}`;
  const config = join(dir, 'rabbitmq.conf');
  const definitions = join(dir, 'definitions.json');
  const plugins = join(dir, 'enabled_plugins');
  const cliEnvFile = join(dir, 'cli-env.conf');
  const monitorPasswordFile = join(cli, 'monitor.password');

  await writeFile(definitions, `${JSON.stringify(labDefinitions(credentials), null, 2)}\n`, { mode: 0o600 });
  await writeFile(plugins, '[rabbitmq_management].\n');
  await writeFile(
    config,
    [
      `listeners.tcp.1 = ${host.address}:${LAB_RABBITMQ.amqpPort}`,
      `management.tcp.ip = ${host.address}`,
      `management.tcp.port = ${LAB_RABBITMQ.managementPort}`,
      `load_definitions = ${definitions}`,
      // Queue figures and rates in the management API refresh every 2 s (default 5 s).
      'collect_statistics_interval = 2000',
      'log.console = true',
      'log.console.level = warning',
      'log.file = false',
      '',
    ].join('\n'),
  );
  for (const [d, mode] of [[home, 0o400], [cli, 0o400]] as const) await writeFile(join(d, '.erlang.cookie'), cookie, { mode });
  await writeFile(monitorPasswordFile, credentials.monitor, { mode: 0o400 });
  const cliEnv = {
    HOME: cli,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_USE_LONGNAME: 'true',
    ERL_EPMD_PORT: String(LAB_RABBITMQ.epmdPort),
    RABBITMQ_CTL_ERL_ARGS: dist,
  };
  await writeFile(
    cliEnvFile,
    [
      '# Sourced by the RabbitMQ CLI scripts (rabbitmqctl, ...) of the baton lab, for the lab node.',
      '# HOME holds the Erlang cookie for the tools only; the CLI node listens on mq1 only.',
      ...Object.entries(cliEnv).map(([k, v]) => `${k}=${quote([v])}`),
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  if (loginUser) chownTree(cli, loginUser);

  const serverEnv: Record<string, string> = {
    HOME: home,
    // A lab path that does not exist: /etc/rabbitmq/rabbitmq-env.conf must not apply.
    RABBITMQ_CONF_ENV_FILE: join(dir, 'no-env.conf'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_USE_LONGNAME: 'true',
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_DIST_PORT: String(LAB_RABBITMQ.distPort),
    ERL_EPMD_ADDRESS: host.address,
    ERL_EPMD_PORT: String(LAB_RABBITMQ.epmdPort),
    ERL_CRASH_DUMP: join(dir, 'log', 'erl_crash.dump'),
    // The lab starts its own epmd (bound to mq1, a daemon that dies with the lab).
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `${dist} -start_epmd false`,
    // Like systemd, the supervisor wants the VM itself as its child: the script
    // then execs erl instead of keeping a shell that would outlive a killed lab.
    RUNNING_UNDER_SYSTEMD: 'true',
  };
  return { dir, nodeName, cliEnvFile, monitorPasswordFile, serverEnv };
}
