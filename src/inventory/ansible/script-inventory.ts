// Ansible dynamic inventory scripts: `SCRIPT --list` prints JSON groups
// (`{"g": ["h1"]}` or `{"g": {"hosts", "vars", "children"}}`) and
// `_meta.hostvars`; without `_meta`, `SCRIPT --host NAME` per host, as
// Ansible does. Run only when the operator asked (--inventory-script), with
// every run bounded in time and output.
import { execFile } from 'node:child_process';
import pLimit from 'p-limit';
import { InventoryError } from '../errors.js';
import { quoteSnippet } from '../quote-snippet.js';
import type { AnsibleInventory } from './model.js';
import { isMapping } from './yaml-inventory.js';

const RUN_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const HOST_QUERIES_AT_ONCE = 8;

export async function readScriptInventory(file: string, inventory: AnsibleInventory, errors: InventoryError[]): Promise<void> {
  const where = { file };
  const listed = await runJson(file, ['--list'], errors);
  if (listed === undefined) return;
  if (!isMapping(listed)) {
    errors.push(new InventoryError(where, `${file} --list printed JSON that is not an object of groups`));
    return;
  }
  const named = new Set<string>();
  for (const [group, raw] of Object.entries(listed)) {
    if (group === '_meta') continue;
    // A mapping without hosts/vars/children is the short form: one host with its vars.
    const data = !isMapping(raw) ? { hosts: raw } : ['hosts', 'vars', 'children'].some((k) => k in raw) ? raw : { hosts: [group], vars: raw };
    inventory.addGroup(group);
    if (data.hosts !== undefined) {
      if (!Array.isArray(data.hosts)) errors.push(new InventoryError(where, `group "${group}": hosts is not a list`));
      else {
        for (const host of data.hosts.map(String)) {
          named.add(host);
          inventory.addHost(host, where, group);
        }
      }
    }
    if (data.vars !== undefined) {
      if (!isMapping(data.vars)) errors.push(new InventoryError(where, `group "${group}": vars is not an object`));
      else for (const [key, value] of Object.entries(data.vars)) inventory.setGroupVar(group, key, value, where);
    }
    for (const child of Array.isArray(data.children) ? data.children.map(String) : []) {
      if (!inventory.addChild(group, child)) errors.push(new InventoryError(where, `group "${child}" as a child of "${group}" makes a cycle`));
    }
  }
  const meta = isMapping(listed._meta) && isMapping(listed._meta.hostvars) ? listed._meta.hostvars : undefined;
  const limit = pLimit(HOST_QUERIES_AT_ONCE);
  const hostVars = await Promise.all(
    [...named].map((host) => (meta !== undefined ? Promise.resolve(meta[host] ?? {}) : limit(() => runJson(file, ['--host', host], errors)))),
  );
  [...named].forEach((host, i) => {
    const vars = hostVars[i];
    if (vars !== undefined && !isMapping(vars)) errors.push(new InventoryError(where, `variables of host "${host}" are not an object`));
    else for (const [key, value] of Object.entries(vars ?? {})) inventory.setHostVar(host, key, value, where);
  });
}

function runJson(file: string, args: string[], errors: InventoryError[]): Promise<unknown> {
  const command = `${file} ${args.join(' ')}`;
  return new Promise((resolve) => {
    execFile(file, args, { timeout: RUN_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const why = error.killed ? `did not finish within ${RUN_TIMEOUT_MS / 1000} s` : `failed: ${error.message.split('\n')[0] ?? ''}`;
        errors.push(new InventoryError({ file }, `inventory script ${command} ${why}${stderr.trim() ? `; stderr: ${quoteSnippet(stderr.trim())}` : ''}`));
        resolve(undefined);
        return;
      }
      if (stdout.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(stdout));
      } catch (parseError) {
        errors.push(new InventoryError({ file }, `inventory script ${command} printed no JSON (${(parseError as Error).message}): ${quoteSnippet(stdout.trim())}`));
        resolve(undefined);
      }
    });
  });
}
