// The lab's hosts: one real OpenSSH sshd per host on its own loopback
// address, with its own host key. As root the login user is the lab user and
// each sshd runs in the host's mount namespace, so every session (`ssh host
// cmd`, or the long-lived `exec /bin/sh` baton opens) sees the host's area
// as /srv/baton; without root, sessions get HOME and BATON_DEPLOY_ROOT set
// to the area instead. Failing a host stops its sshd and every session on it.
import type { ComponentStatus, LabComponent, LabContext, LabHost } from './component.js';
import { deployRootSeenBy, labIsRoot, onHost } from './host-view.js';
import type { LabHostSpec } from './layout.js';
import { accepts } from './loopback.js';
import { startFleet, type Fleet } from './sshd-fleet.js';

// sshd gives non-root users a PATH without sbin, where Debian keeps crm_mon and haproxy.
const SESSION_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface HostsOptions {
  /** The login user when root (the lab user); undefined: the current user. */
  loginUser?: string;
  /** Variables other components need in a host's sessions (e.g. CIB_file). */
  sessionEnvironment?: (host: LabHostSpec) => Record<string, string>;
  /** Wraps the argv that starts a host's sshd (e.g. into a Pacemaker node's namespaces). */
  wrapSshd?: (host: LabHost, argv: string[]) => string[];
}

export class HostsComponent implements LabComponent {
  readonly name = 'hosts';
  targets: string[] = [];
  private fleet?: Fleet;
  private ctx?: LabContext;

  constructor(private readonly options: HostsOptions = {}) {}

  /** The running fleet: key, known_hosts and ssh_config for clients. */
  get sshd(): Fleet {
    if (!this.fleet) throw new Error('hosts: not started');
    return this.fleet;
  }

  async start(ctx: LabContext): Promise<void> {
    this.ctx = ctx;
    const hosts = ctx.hosts;
    this.targets = hosts.map((h) => `host:${h.id}`);
    const port = hosts[0]?.sshPort;
    if (port === undefined || hosts.some((h) => h.sshPort !== port)) throw new Error('hosts: every lab host must share one SSH port');
    const sessionEnv: Record<number, Record<string, string>> = {};
    hosts.forEach((h, i) => {
      const root = deployRootSeenBy(h.rootDir);
      const own: Record<string, string> = { BATON_DEPLOY_ROOT: root, PATH: SESSION_PATH, ...(labIsRoot() ? {} : { HOME: root }) };
      sessionEnv[i] = { ...this.options.sessionEnvironment?.(h), ...own };
    });
    this.fleet = await startFleet({
      hosts: hosts.length,
      addresses: hosts.map((h) => h.address),
      ids: hosts.map((h) => h.id),
      port,
      perProcess: 1,
      hostKeyPerHost: true,
      dir: ctx.dir,
      loginUser: this.options.loginUser,
      sessionEnv,
      wrapSshd: (fleetHost, argv) => {
        const host = hosts[fleetHost.index];
        if (!host) return argv;
        const onIt = onHost(ctx.dir, host.rootDir, argv);
        return this.options.wrapSshd?.(host, onIt) ?? onIt;
      },
    });
    ctx.log(`hosts: ${hosts.length} sshd on ${hosts[0]?.address}..${hosts.at(-1)?.address} port ${port}, login ${this.fleet.user}`);
  }

  async stop(): Promise<void> {
    await this.fleet?.stop();
  }

  async status(): Promise<ComponentStatus> {
    const hosts = this.ctx?.hosts ?? [];
    const answering = await Promise.all(hosts.map((h) => accepts(h.address, h.sshPort)));
    const down = hosts.filter((_, i) => !answering[i]).map((h) => h.id);
    return {
      name: this.name,
      healthy: this.fleet !== undefined && down.length === 0,
      detail: `${hosts.length - down.length}/${hosts.length} sshd up on port ${hosts[0]?.sshPort ?? '?'} as ${this.fleet?.user ?? '?'}${down.length ? `; down: ${down.join(', ')}` : ''}`,
      failed: down.map((id) => `host:${id}`),
    };
  }

  owns(target: string): boolean {
    return this.targets.includes(target);
  }

  private index(target: string): number {
    const index = this.targets.indexOf(target);
    if (index < 0) throw new Error(`no host ${target}; known: ${this.targets.join(', ')}`);
    return index;
  }

  async fail(target: string): Promise<string> {
    await this.sshd.kill(this.index(target));
    return `${target.slice(5)}: sshd and its sessions stopped; the host is unreachable`;
  }

  async heal(target: string): Promise<string> {
    await this.sshd.restart(this.index(target));
    return `${target.slice(5)}: sshd started again with the same host key`;
  }
}
