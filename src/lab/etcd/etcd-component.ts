// A real 3-member etcd cluster for `baton lab`, one member on each host with
// the 'etcd' role. Faults are real too: `fail` SIGKILLs a member (so the
// others hold a real election) and `heal` restarts it on its old data dir.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { DEFAULT_LAB_HOSTS } from '../layout.js';
import { allGone, killTree, waitGone } from '../process-tree.js';
import { currentLeader, parseEndpointStatus, type EndpointStatus } from './endpoint-status.js';
import { etcdctl } from './etcdctl.js';
import { logTail } from './log-tail.js';
import { etcdArgs, etcdMembers, memberDataDir, type EtcdMember } from './members.js';

const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 200;
const KILL_TIMEOUT_MS = 5_000;

export class EtcdComponent implements LabComponent {
  readonly name = 'etcd';
  readonly targets: readonly string[] = ['etcd:leader', ...etcdMembers(DEFAULT_LAB_HOSTS).map((m) => `etcd:${m.name}`)];

  private ctx: LabContext | undefined;
  private members: EtcdMember[] = [];
  private clusterToken = '';
  /** Our own record of member pids (ctx.spawnDaemon's), to kill one member alone. */
  private readonly pids = new Map<string, number>();
  /** Members that `fail etcd:leader` stopped, so `heal etcd:leader` can bring them back. */
  private readonly failedAsLeader = new Set<string>();

  owns(target: string): boolean {
    return target.startsWith('etcd:');
  }

  async start(ctx: LabContext): Promise<void> {
    if (this.ctx) throw new Error('etcd is already started; stop it first');
    const members = etcdMembers(ctx.hosts);
    if (members.length === 0) throw new Error("no lab host has the 'etcd' role: nothing to run etcd on");
    this.ctx = ctx;
    this.members = members;
    this.clusterToken = `baton-lab-${randomUUID()}`;
    try {
      // A fresh cluster each time: an old data dir would bring back the old cluster.
      await rm(join(ctx.dir, 'etcd'), { recursive: true, force: true });
      await mkdir(join(ctx.dir, 'etcd'), { recursive: true });
      await Promise.all(members.map((m) => this.launch(m, 'new')));
      await this.waitFor(members, 'the cluster is not healthy', async () => (await this.run(['endpoint', 'health', '--cluster'])).code === 0);
      ctx.log(`etcd: ${members.map((m) => `${m.name} ${m.clientUrl}`).join(', ')} healthy`);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    const running = [...this.pids.entries()];
    this.pids.clear();
    this.failedAsLeader.clear();
    this.ctx = undefined;
    const stuck: string[] = [];
    await Promise.all(
      running.map(async ([name, pid]) => {
        if (!(await waitGone(killTree(pid), KILL_TIMEOUT_MS))) stuck.push(`${name} (pid ${pid})`);
      }),
    );
    if (stuck.length) throw new Error(`etcd members still running ${KILL_TIMEOUT_MS / 1000} s after SIGKILL: ${stuck.join(', ')}`);
  }

  async status(): Promise<ComponentStatus> {
    const base = { name: this.name, failed: this.failedTargets() };
    if (!this.ctx) return { ...base, healthy: false, detail: 'not running' };
    let statuses: EndpointStatus[];
    try {
      statuses = await this.endpointStatus();
    } catch (err) {
      return { ...base, healthy: false, detail: (err as Error).message };
    }
    const answering = this.members.filter((m) => statuses.some((s) => s.endpoint === m.clientUrl));
    const down = this.members.filter((m) => !answering.includes(m)).map((m) => m.name);
    const leader = currentLeader(statuses);
    const leaderName = leader && (this.memberById(leader.leaderId, statuses)?.name ?? `member ${leader.leaderId}`);
    const leaderText = leader ? `leader ${leaderName} (raft term ${leader.raftTerm})` : 'no leader';
    return {
      ...base,
      healthy: answering.length === this.members.length,
      detail: `${answering.length}/${this.members.length} members healthy, ${leaderText}${down.length ? `; down: ${down.join(', ')}` : ''}`,
    };
  }

  async fail(target: string, tookEffect?: (at?: number) => void): Promise<string> {
    this.requireStarted();
    const named = target === 'etcd:leader' ? undefined : this.memberFor(target);
    if (named && !this.isRunning(named)) {
      throw new Error(`${target} is already failed (its process is stopped); heal it first with \`baton lab heal ${target}\``);
    }
    const statuses = await this.endpointStatus();
    const leader = currentLeader(statuses);
    const leaderMember = leader && this.memberById(leader.leaderId, statuses);
    const member = named ?? leaderMember;
    if (!member) throw new Error('etcd has no leader right now (quorum lost?), so there is no etcd:leader to fail; see `baton lab status`');
    const pid = this.pids.get(member.name);
    this.pids.delete(member.name);
    tookEffect?.();
    if (pid !== undefined && !(await waitGone(killTree(pid), KILL_TIMEOUT_MS))) {
      throw new Error(`etcd member ${member.name} (pid ${pid}) is still running ${KILL_TIMEOUT_MS / 1000} s after SIGKILL`);
    }
    if (!named) this.failedAsLeader.add(member.name);
    const where = `${member.name} (${member.hostId}, ${member.address})`;
    const left = this.members.filter((m) => this.isRunning(m)).length;
    const quorum = Math.floor(this.members.length / 2) + 1;
    const next =
      left < quorum
        ? `only ${left} of ${this.members.length} members run: no quorum, so no leader until one is healed`
        : member === leaderMember
          ? `the ${left} remaining members elect a new leader`
          : `${left} of ${this.members.length} members still run`;
    const role = member === leaderMember ? `the leader in raft term ${leader?.raftTerm}` : 'a follower';
    return `killed etcd member ${where}, ${role}, with SIGKILL; ${next}`;
  }

  async heal(target: string): Promise<string> {
    this.requireStarted();
    const wanted = target === 'etcd:leader' ? this.members.filter((m) => this.failedAsLeader.has(m.name)) : [this.memberFor(target)];
    const down = wanted.filter((m) => !this.isRunning(m));
    if (down.length === 0) {
      return target === 'etcd:leader'
        ? 'nothing to heal: no member stopped by `fail etcd:leader` is down'
        : `nothing to heal: etcd member ${wanted.map((m) => m.name).join(', ')} is running`;
    }
    for (const member of down) {
      await this.launch(member, 'existing');
      await this.waitFor([member], `${member.name} is not healthy`, async () => (await this.run(['endpoint', 'health'], [member.clientUrl])).code === 0);
      this.failedAsLeader.delete(member.name);
    }
    const names = down.map((m) => `${m.name} (${m.hostId}, ${m.address})`).join(', ');
    return `restarted etcd member ${names} on its data dir; it rejoined the cluster and is healthy`;
  }

  /** Targets whose member process is not running, stopped by us or crashed. */
  private failedTargets(): string[] {
    if (!this.ctx) return [];
    return this.members.filter((m) => !this.isRunning(m)).map((m) => `etcd:${m.name}`);
  }

  private isRunning(member: EtcdMember): boolean {
    const pid = this.pids.get(member.name);
    return pid !== undefined && !allGone([pid]);
  }

  private memberFor(target: string): EtcdMember {
    const member = this.members.find((m) => `etcd:${m.name}` === target);
    if (!member) throw new Error(`unknown etcd target ${target}: use one of ${this.targets.join(', ')}`);
    return member;
  }

  /** The member whose answer carries this id: ids are only known from live members. */
  private memberById(memberId: string, statuses: readonly EndpointStatus[]): EtcdMember | undefined {
    const endpoint = statuses.find((s) => s.memberId === memberId)?.endpoint;
    return this.members.find((m) => m.clientUrl === endpoint);
  }

  private requireStarted(): LabContext {
    if (!this.ctx) throw new Error('etcd is not running: start the lab first (`baton lab up`)');
    return this.ctx;
  }

  private async launch(member: EtcdMember, state: 'new' | 'existing'): Promise<void> {
    const ctx = this.requireStarted();
    const args = etcdArgs(member, this.members, { dataDir: memberDataDir(ctx.dir, member), clusterToken: this.clusterToken, state });
    this.pids.set(member.name, await ctx.spawnDaemon(member.name, 'etcd', args));
  }

  private run(args: string[], endpoints = this.members.map((m) => m.clientUrl)) {
    return etcdctl(endpoints, args, this.ctx?.signal);
  }

  /** Members that answered; with every member down etcdctl prints nothing. */
  private async endpointStatus(): Promise<EndpointStatus[]> {
    const result = await this.run(['endpoint', 'status', '--cluster', '-w', 'json']);
    return result.stdout.trim() === '' ? [] : parseEndpointStatus(result.stdout);
  }

  /**
   * Polls `ready` until it holds. Fails after READY_TIMEOUT_MS, or at once when
   * a watched member exits (port taken, bad flags), quoting the members' logs.
   */
  private async waitFor(watched: readonly EtcdMember[], notReady: string, ready: () => Promise<boolean>): Promise<void> {
    const ctx = this.requireStarted();
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      ctx.signal.throwIfAborted();
      if (await ready()) return;
      const exited = watched.filter((m) => !this.isRunning(m));
      if (exited.length || Date.now() > deadline) {
        const why = exited.length ? `${exited.map((m) => m.name).join(', ')} exited` : `${notReady} after ${READY_TIMEOUT_MS / 1000} s`;
        const logs = await Promise.all(
          watched.map(async (m) => {
            const file = join(ctx.dir, 'logs', `${m.name}.log`); // where ctx.spawnDaemon writes
            return `--- ${m.name} (${file}):\n${await logTail(file)}`;
          }),
        );
        throw new Error(`etcd: ${why}\n${logs.join('\n')}`);
      }
      await sleep(POLL_MS, undefined, { signal: ctx.signal });
    }
  }
}
