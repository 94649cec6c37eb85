// The lab's network devices (lab-devices.ts): nothing to run, each answers
// ping on its loopback address. `lab fail device:NAME` makes one
// unreachable with an iptables DROP of packets to its address (root only),
// `lab heal device:NAME` deletes the rule; lab down deletes any left.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { dropRule, LAB_DEVICES } from './lab-devices.js';

const exec = promisify(execFile);

async function iptables(args: string[]): Promise<{ ok: boolean; message: string }> {
  try {
    await exec('iptables', ['-w', '2', ...args], { timeout: 5000 });
    return { ok: true, message: '' };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, message: (e.stderr || e.message).trim().split('\n')[0] ?? e.message };
  }
}

export class DevicesComponent implements LabComponent {
  readonly name = 'devices';
  readonly targets: readonly string[] = LAB_DEVICES.map((d) => `device:${d.name}`);
  private readonly dropped = new Set<string>();
  private started = false;

  start(ctx: LabContext): Promise<void> {
    this.started = true;
    ctx.log(`devices: ${LAB_DEVICES.map((d) => `${d.name} ${d.address}`).join(', ')} (ICMP)`);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    for (const name of [...this.dropped]) await this.heal(`device:${name}`);
    this.started = false;
  }

  status(): Promise<ComponentStatus> {
    const failed = [...this.dropped].map((n) => `device:${n}`);
    const detail = this.started ? LAB_DEVICES.map((d) => `${d.name} ${this.dropped.has(d.name) ? 'DROPPED' : 'reachable'}`).join(', ') : 'not running';
    return Promise.resolve({ name: this.name, healthy: this.started, detail, failed });
  }

  owns(target: string): boolean {
    return this.targets.includes(target);
  }

  private device(target: string) {
    const d = LAB_DEVICES.find((x) => `device:${x.name}` === target);
    if (!d) throw new Error(`unknown device target ${target}`);
    return d;
  }

  async fail(target: string, tookEffect?: (at?: number) => void): Promise<string> {
    const d = this.device(target);
    if (this.dropped.has(d.name)) return `${d.name} is already unreachable`;
    if (process.getuid?.() !== 0) throw new Error(`lab fail ${target} needs root (iptables)`);
    const r = await iptables(['-I', ...dropRule(d.address)]);
    if (!r.ok) throw new Error(`iptables -I failed: ${r.message}`);
    this.dropped.add(d.name);
    tookEffect?.();
    return `dropped packets to ${d.name} (${d.address}) with iptables: it no longer answers ping`;
  }

  async heal(target: string): Promise<string> {
    const d = this.device(target);
    if (!this.dropped.has(d.name)) return `${d.name} is reachable`;
    const r = await iptables(['-D', ...dropRule(d.address)]);
    if (!r.ok) throw new Error(`iptables -D failed: ${r.message}`);
    this.dropped.delete(d.name);
    return `removed the DROP for ${d.name} (${d.address})`;
  }
}

/** Deletes every rule a device fault left (a supervisor killed before heal); reports each. Root only, else nothing. */
export async function sweepDeviceRules(): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const report: string[] = [];
  for (const d of LAB_DEVICES) {
    while ((await iptables(['-C', ...dropRule(d.address)])).ok) {
      const r = await iptables(['-D', ...dropRule(d.address)]);
      report.push(r.ok ? `removed the iptables DROP for device ${d.name} (${d.address})` : `could not remove the iptables DROP for ${d.name}: ${r.message}`);
      if (!r.ok) break;
    }
  }
  return report;
}
