// `baton lab load HOST PERCENT|off`: the lab's hosts share one kernel, so
// each would read the same /proc. Like LXCFS, a host given a load gets its
// own /proc/stat, /proc/meminfo and /proc/loadavg: files under DIR/load/HOST
// bind-mounted over them inside the host's mount namespace (where its sshd
// and every session live), so baton's ordinary host probe over SSH reads
// them. CPU ticks advance four times a second at the set share; memory and
// load averages follow the same percentage. `off` unmounts: the real /proc
// again. The views start from the real counters, so CPU % stays sane across.
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { labIsRoot } from '../host-view.js';
import { advance, loadavgView, meminfoView, realCounters, statView, type CpuCounters } from './proc-views.js';

const run = promisify(execFile);

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
};
const TICK_MS = 250;
const VIEWS = ['stat', 'meminfo', 'loadavg'] as const;

interface Loaded {
  percent: number;
  counters: CpuCounters;
  /** The sshd whose namespace has the mounts (a restarted host gets them again). */
  pid: number;
  fds: Record<(typeof VIEWS)[number], number>;
}

export class HostLoadComponent implements LabComponent {
  readonly name = 'load';
  readonly targets: string[] = [];
  private ctx?: LabContext;
  private timer?: NodeJS.Timeout;
  private readonly loaded = new Map<string, Loaded>();
  private readonly cores = cpus().length;
  private busy = Promise.resolve();

  private readonly memTotalKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  private readonly bootTime = Number(/^btime\s+(\d+)/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0);
  private last = Date.now();

  /** The pid of the host's sshd (whose mount namespace its sessions share), undefined while it is down. */
  private sshdPid(hostId: string): number | undefined {
    const index = this.ctx?.hosts.findIndex((h) => h.id === hostId) ?? -1;
    if (index < 0) return undefined;
    // The hosts' fleet runs one sshd per host and writes sshd-INDEX.pid in the lab dir (sshd-fleet.ts).
    const pid = Number(readText(join(this.ctx!.dir, `sshd-${index}.pid`)));
    return pid > 0 && readText(`/proc/${pid}/comm`) === 'sshd' ? pid : undefined;
  }

  start(ctx: LabContext): Promise<void> {
    this.ctx = ctx;
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
    for (const host of [...this.loaded.keys()]) await this.unload(host).catch(() => undefined);
  }

  status(): Promise<ComponentStatus> {
    const set = [...this.loaded].map(([h, l]) => `${h} ${l.percent}%`);
    const detail = !labIsRoot()
      ? 'not available without root (hosts have no mount namespace of their own)'
      : set.length === 0
        ? 'every host reads the real /proc (shared kernel: the same load everywhere); lab load HOST PERCENT gives one its own'
        : `lab-provided /proc/stat, /proc/meminfo, /proc/loadavg on ${set.join(', ')}; the other hosts read the real /proc`;
    return Promise.resolve({ name: this.name, healthy: true, detail, failed: [] });
  }

  owns(): boolean {
    return false;
  }

  fail(target: string): Promise<string> {
    return Promise.reject(new Error(`load has no fault target ${target}`));
  }

  heal(target: string): Promise<string> {
    return Promise.reject(new Error(`load has no fault target ${target}`));
  }

  /** Sets (percent) or removes (null) a host's load; one change at a time. */
  set(hostId: string, percent: number | null): Promise<string> {
    const next = this.busy.then(() => this.apply(hostId, percent));
    this.busy = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async apply(hostId: string, percent: number | null): Promise<string> {
    if (!labIsRoot()) throw new Error('lab load needs root: without it the lab\'s hosts have no mount namespace to show their own /proc in');
    const ctx = this.ctx;
    if (!ctx) throw new Error('load: not started');
    if (!ctx.hosts.some((h) => h.id === hostId)) throw new Error(`no lab host ${hostId}; hosts: ${ctx.hosts.map((h) => h.id).join(', ')}`);
    if (percent === null) {
      if (!this.loaded.has(hostId)) return `${hostId}: already reads the real /proc`;
      await this.unload(hostId);
      return `${hostId}: the real /proc again (shared kernel)`;
    }
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new Error(`load must be 0 to 100 (percent) or off, got ${percent}`);
    const current = this.loaded.get(hostId);
    if (current) {
      current.percent = percent;
      this.write(current);
      return `${hostId}: load ${percent}% (lab-provided /proc/stat, /proc/meminfo, /proc/loadavg)`;
    }
    const pid = this.sshdPid(hostId);
    if (pid === undefined) throw new Error(`${hostId}: its sshd is not running (lab heal host:${hostId} first)`);
    const dir = join(ctx.dir, 'load', hostId);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const loaded: Loaded = { percent, counters: realCounters(readFileSync('/proc/stat', 'utf8')), pid, fds: { stat: -1, meminfo: -1, loadavg: -1 } };
    for (const view of VIEWS) loaded.fds[view] = openSync(join(dir, view), 'w+', 0o644);
    this.write(loaded);
    this.loaded.set(hostId, loaded);
    await this.mount(hostId, loaded);
    return `${hostId}: load ${percent}% (lab-provided /proc/stat, /proc/meminfo, /proc/loadavg in its mount namespace)`;
  }

  private async mount(hostId: string, l: Loaded): Promise<void> {
    const dir = join(this.ctx!.dir, 'load', hostId);
    for (const view of VIEWS) await run('nsenter', ['--target', String(l.pid), '--mount', '--', 'mount', '--bind', join(dir, view), `/proc/${view}`]);
  }

  private async unload(hostId: string): Promise<void> {
    const l = this.loaded.get(hostId);
    if (!l) return;
    this.loaded.delete(hostId);
    const pid = this.sshdPid(hostId);
    // A host whose sshd died took its namespace, and the mounts, with it.
    if (pid === l.pid) for (const view of VIEWS) await run('nsenter', ['--target', String(pid), '--mount', '--', 'umount', `/proc/${view}`]).catch(() => undefined);
    for (const view of VIEWS) closeSync(l.fds[view]);
  }

  private write(l: Loaded): void {
    const texts = { stat: statView(l.counters, this.cores, this.bootTime), meminfo: meminfoView(this.memTotalKb, l.percent), loadavg: loadavgView(this.cores, l.percent) };
    // In place, same length: the bind mount pins this inode (see the header).
    for (const view of VIEWS) writeSync(l.fds[view], texts[view], 0, 'utf8');
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const seconds = (now - this.last) / 1000;
    this.last = now;
    for (const [hostId, l] of this.loaded) {
      l.counters = advance(l.counters, seconds, this.cores, l.percent);
      this.write(l);
      const pid = this.sshdPid(hostId);
      if (pid !== undefined && pid !== l.pid) {
        // The host's sshd was restarted (lab heal): a new namespace, mounted again.
        l.pid = pid;
        await this.mount(hostId, l).catch((err: Error) => this.ctx?.log(`load: ${hostId}: could not mount its views again: ${err.message}`));
      }
    }
  }
}
