// The lab's device faults with the real iptables (root; run under the lab
// lock: flock /tmp/baton-lab.lock npx vitest run test/lab/devices.test.ts):
// fail drops ping to the device's address, heal restores it, and a rule a
// killed supervisor left is swept by the leftovers sweep.
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { DevicesComponent, sweepDeviceRules } from '../../src/lab/devices/devices-component.js';
import { dropRule, LAB_DEVICES } from '../../src/lab/devices/lab-devices.js';

const root = process.getuid?.() === 0;
const rtr1 = LAB_DEVICES.find((d) => d.name === 'rtr1')!;
const answers = (address: string) => spawnSync('ping', ['-n', '-c', '1', '-W', '1', address]).status === 0;
const ruleThere = () => spawnSync('iptables', ['-w', '2', '-C', ...dropRule(rtr1.address)]).status === 0;

afterAll(async () => {
  if (root) await sweepDeviceRules();
});

describe.skipIf(!root)('device faults', () => {
  it('fail drops the device\'s packets and heal lets them through again; only that device', async () => {
    const devices = new DevicesComponent();
    expect(answers(rtr1.address)).toBe(true);
    expect(await devices.fail('device:rtr1')).toMatch(/^dropped packets to rtr1 \(127\.0\.3\.242\)/);
    expect(answers(rtr1.address)).toBe(false);
    expect(answers('127.0.3.240')).toBe(true);
    expect((await devices.status()).failed).toEqual(['device:rtr1']);
    await devices.heal('device:rtr1');
    expect(answers(rtr1.address)).toBe(true);
    expect(ruleThere()).toBe(false);
  });

  it('the sweep removes a rule left behind', async () => {
    execFileSync('iptables', ['-w', '2', '-I', ...dropRule(rtr1.address)]);
    expect(await sweepDeviceRules()).toEqual(['removed the iptables DROP for device rtr1 (127.0.3.242)']);
    expect(ruleThere()).toBe(false);
    expect(await sweepDeviceRules()).toEqual([]);
  });
});
