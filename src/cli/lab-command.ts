// `baton lab ...`: a real HA cluster on loopback for demos and tests. The
// supervisor (lab supervise) owns the daemons; every other subcommand talks
// to it over DIR/control.sock.
import { Command, InvalidArgumentError, Option } from 'commander';
import { askLab, type LabRequest } from '../lab/control-socket.js';
import { labDir, labFiles } from '../lab/lab-paths.js';
import { DEFAULT_LAB_HOSTS, labExtras } from '../lab/layout.js';
import { runLabDeps } from './lab/lab-deps.js';
import { labError } from './lab/lab-errors.js';
import { labStatusText } from './lab/lab-status-text.js';
import { positiveInteger } from './options.js';

/** "8h", "30m", "90s" or plain seconds. */
export function duration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * ({ s: 1, m: 60, h: 3600 }[m[2] || 's'] ?? 1) : NaN;
  if (!(seconds >= 1 && seconds <= 7 * 86400)) throw new InvalidArgumentError(`expected a duration such as 90s, 30m or 8h (at most 7 days), got "${value}"`);
  return seconds;
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected messages per second >= 0, got "${value}"`);
  return n;
}

/** `lab load`'s PERCENT and `lab traffic`'s RATE: a number in range, or off (null). */
function levelOrOff(value: string, max: number, what: string): number | null {
  if (value === 'off') return null;
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > max) throw labError(`expected ${what} from 0 to ${max}, or off; got "${value}"`);
  return n;
}

const hostsOption = () => new Option('--hosts <n>', `hosts: ${DEFAULT_LAB_HOSTS.map((h) => h.id).join(', ')}, then web4, web5, ...`).argParser(positiveInteger).default(DEFAULT_LAB_HOSTS.length);
const withOption = () => new Option('--with <extra...>', 'optional services: rabbitmq (a RabbitMQ node on mq1), corosync (a real one-node corosync + Pacemaker cluster; root), postgresql (a PostgreSQL primary on db1, its streaming standby on db2), mariadb (a MariaDB source on db1, its replica on db2), prometheus (Prometheus and Alertmanager on mq1 scraping HAProxy and etcd, two alert rules)');
const ttlOption = () => new Option('--ttl <duration>', 'the lab shuts itself down after this long').argParser(duration).default(8 * 3600, '8h');

type DirOptions = { dir?: string };

/** One request to the running lab; prints its answer. */
async function ask(options: DirOptions, request: LabRequest): Promise<number> {
  const dir = labDir(options.dir);
  const reply = await askLab(labFiles(dir).control, request).catch((err: Error) => {
    throw labError(err.message, err.message.startsWith('the lab is not running') ? undefined : `see ${labFiles(dir).supervisorLog}`);
  });
  if (!reply.ok) throw labError(reply.error);
  if (reply.status) {
    const st = reply.status;
    process.stdout.write(request.cmd === 'status' && (options as { json?: boolean }).json ? `${JSON.stringify(st, null, 2)}\n` : labStatusText(st));
    return st.components.every((c) => c.healthy) ? 0 : 2;
  }
  process.stdout.write(`${reply.message ?? 'done'}\n`);
  return 0;
}

export function registerLab(program: Command, setCode: (code: number) => void): void {
  const lab = program
    .command('lab')
    .description('a real HA cluster on loopback (sshd hosts, web apps, HAProxy, etcd, Pacemaker, Redis) for demos and tests')
    .option('--dir <dir>', 'lab state dir (default: $BATON_LAB_DIR or ${XDG_STATE_HOME:-~/.local/state}/baton/lab)')
    .addHelpText(
      'after',
      [
        '',
        'Fault targets: host:<id>, app:<web host>, etcd:leader, etcd:etcd1-3, pacemaker:node1-3,',
        'pacemaker:resource:<id>, queue:consumers, queue:producers, queue:worker-1|worker-2 (one stream',
        'worker killed, its pending entries left), device:core-sw1|edge-fw1|rtr1',
        '(an iptables DROP to its address; root), and with --with rabbitmq:',
        'rabbitmq:consumers, rabbitmq:producers, and with --with corosync: corosync:solo1 (standby),',
        'corosync:resource:solo-dummy (its monitor fails), and with --with postgresql: postgresql:primary',
        '(stopped), postgresql:replay (paused), postgresql:replication (wrong primary_conninfo), and with',
        '--with mariadb: mariadb:primary (stopped), mariadb:replica (STOP SLAVE), mariadb:replication (wrong port)',
        '(baton lab status lists them all).',
        'Demo: npm run demo (lab up, then the console on the lab inventory).',
      ].join('\n'),
    );
  const opts = <T>(cmd: Command) => cmd.optsWithGlobals<T & DirOptions>();

  lab
    .command('up')
    .description('start the lab (detached) and write its inventory; says so if it already runs')
    .addOption(hostsOption())
    .addOption(withOption())
    .addOption(ttlOption())
    // The lab (and its Redis and RabbitMQ clients) loads on use: every other command starts without parsing it.
    .action(async (_o, cmd: Command) => setCode(await (await import('./lab/lab-up.js')).runLabUp(opts<{ hosts: number; with?: string[]; ttl: number }>(cmd))));
  lab
    .command('status')
    .description('what runs, what is failed, memory; exit 2 when a component is not healthy')
    .option('--json', 'the status as JSON', false)
    .action(async (_o, cmd: Command) => setCode(await ask(opts<{ json: boolean }>(cmd), { cmd: 'status' })));
  lab
    .command('down')
    .description('stop the lab; checks that no process and no socket is left')
    .action(async (_o, cmd: Command) => setCode(await (await import('./lab/lab-down.js')).runLabDown(opts(cmd))));
  lab
    .command('deps')
    .description('install the Debian packages the lab needs (as root), or print the apt-get line')
    .addOption(withOption())
    .action((_o, cmd: Command) => setCode(runLabDeps(labExtras(opts<{ with?: string[] }>(cmd).with))));
  lab
    .command('fail <target>')
    .description('inject a real fault: host:web1, app:web2, etcd:leader, pacemaker:node1, queue:consumers, ...')
    .action(async (target: string, _o, cmd: Command) => setCode(await ask(opts(cmd), { cmd: 'fail', target })));
  lab
    .command('heal <target>')
    .description('repair what `lab fail` broke')
    .action(async (target: string, _o, cmd: Command) => setCode(await ask(opts(cmd), { cmd: 'heal', target })));
  lab
    .command('drift <host> [file]')
    .description("change a file on a host behind baton's back (a line appended): by default the file a sync set keeps there (web: conf/app.conf, lb: haproxy/haproxy.cfg); FILE is relative to its deploy root")
    .action(async (host: string, file: string | undefined, _o, cmd: Command) => setCode(await ask(opts(cmd), { cmd: 'drift', host, file })));
  lab
    .command('rates')
    .description('set the brokers\' producer and consumer rates (messages per second per queue; Redis and RabbitMQ alike)')
    .addOption(new Option('--produce <n>', 'producer rate').argParser(rate))
    .addOption(new Option('--consume <n>', 'consumer rate').argParser(rate))
    .action(async (_o, cmd: Command) => {
      const o = opts<{ produce?: number; consume?: number }>(cmd);
      if (o.produce === undefined && o.consume === undefined) throw labError('give --produce and/or --consume');
      setCode(await ask(o, { cmd: 'rates', produce: o.produce, consume: o.consume }));
    });
  lab
    .command('load <host> <percent>')
    .description('give a host its own load (lab-provided /proc/stat, /proc/meminfo, /proc/loadavg in its mount namespace, read by the normal host probe), or off for the real /proc again; root')
    .action(async (host: string, percent: string, _o, cmd: Command) => setCode(await ask(opts(cmd), { cmd: 'load', host, percent: levelOrOff(percent, 100, 'a load in percent') })));
  lab
    .command('traffic <rate>')
    .description('send RATE HTTP requests a second to HAProxy\'s frontend on lb1 (a new connection each), or off')
    .action(async (value: string, _o, cmd: Command) => setCode(await ask(opts(cmd), { cmd: 'traffic', rate: levelOrOff(value, 500, 'requests a second') ?? 0 })));
  lab
    .command('supervise', { hidden: true })
    .description('run the lab in the foreground (lab up starts this detached)')
    .addOption(hostsOption())
    .addOption(withOption())
    .addOption(ttlOption())
    .action(async (_o, cmd: Command) => setCode(await (await import('./lab/lab-supervise.js')).runSupervise(opts<{ hosts: number; with?: string[]; ttl: number }>(cmd))));
}
