// The lab's Pacemaker faults, each made with the real tools on a private copy
// of the CIB and committed through the store:
// - node failure: crm_simulate --node-fail (heal: --node-up), with quorum and
//   DC updated as corosync and the controller would;
// - resource failure: crm_simulate --op-inject of a failed recurring monitor
//   (rc 7, "not running") where the resource runs, so it records a failed
//   action and a fail count and the scheduler recovers it as it decides.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CibStore } from './cib-store.js';
import { MONITOR_INTERVAL_MS } from './cluster-definition.js';
import { readClusterView } from './crm-mon.js';
import { electDc, hasQuorum, readMembership, recordDc } from './membership.js';
import { runPcmkTool } from './pcmk-tool.js';
import { runScheduler } from './scheduler.js';

const COMMIT_ATTEMPTS = 10;
/** OCF_NOT_RUNNING: what a monitor returns when it finds the service gone. */
const OCF_NOT_RUNNING = 7;

/** Commits `change`, starting again from the new content while operators' writes get in the way. */
async function commit(store: CibStore, change: (work: string) => Promise<void>): Promise<void> {
  for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
    if (await store.transact(change)) return;
    await sleep(50 * attempt);
  }
  throw new Error(`${store.path} kept changing under the fault: try again`);
}

async function forgetNodeState(work: string, node: string): Promise<void> {
  const state = `//node_state[@uname='${node}']`;
  await runPcmkTool('cibadmin', ['--delete-all', '--force', '--xpath', `${state}/lrm | ${state}/transient_attributes`], work);
}

/** Fails (up=false) or brings back a node; resolves false when it already was in that state. */
export async function setNodeUp(store: CibStore, node: string, up: boolean): Promise<boolean> {
  let changed = false;
  await commit(store, async (work) => {
    const membership = readMembership(await readFile(work, 'utf8'));
    const target = membership.nodes.find((n) => n.name === node);
    if (!target) throw new Error(`node ${node} is not in the CIB (${membership.nodes.map((n) => n.name).join(', ')})`);
    changed = target.online !== up;
    if (!changed) return;
    const onlineAfter = membership.nodes.filter((n) => (n.name === node ? up : n.online)).map((n) => n.name);
    const quorum = hasQuorum(onlineAfter.length, membership.nodes.length) ? '1' : '0';
    // A node that comes back has run nothing since it failed: on join the
    // controller replaces its resource history and attrd starts empty.
    // crm_simulate --node-up keeps the stale history, which the scheduler
    // would take for resources active on two nodes at once.
    if (up) await forgetNodeState(work, node);
    await runScheduler(work, [up ? '--node-up' : '--node-fail', node, '--quorum', quorum]);
    await recordDc(work, electDc(membership, onlineAfter));
  });
  return changed;
}

/** Injects a failed monitor of `resource` on the (first) node it runs on; resolves with that node. */
export async function failResource(store: CibStore, resource: string): Promise<string> {
  let node = '';
  await commit(store, async (work) => {
    const view = await readClusterView(work);
    const running = view.primitives.get(resource);
    if (!running) throw new Error(`no resource ${resource} in the CIB`);
    if (!running[0]) throw new Error(`${resource} is not running anywhere: there is nothing to fail`);
    node = running[0];
    await runScheduler(work, ['--op-inject', `${resource}_monitor_${MONITOR_INTERVAL_MS}@${node}=${OCF_NOT_RUNNING}`]);
  });
  return node;
}

/**
 * Clears a resource's failures: its failed operations and its fail-count and
 * last-failure attributes on every node, then lets the scheduler react.
 * `crm_resource --cleanup` would do this through the controller and attrd;
 * with CIB_file it only prints "Dry run: skipping clean-up" (and 2.1.5 then
 * crashes), so the records are removed with cibadmin, which edits the file.
 */
export async function clearResourceFailures(store: CibStore, resource: string): Promise<void> {
  const xpath = [
    `//lrm_resource[@id='${resource}']/lrm_rsc_op[@id='${resource}_last_failure_0']`,
    `//transient_attributes//nvpair[starts-with(@name,'fail-count-${resource}#') or starts-with(@name,'last-failure-${resource}#')]`,
  ].join(' | ');
  await commit(store, async (work) => {
    await runPcmkTool('cibadmin', ['--delete-all', '--force', '--xpath', xpath], work);
    await runScheduler(work);
  });
}
