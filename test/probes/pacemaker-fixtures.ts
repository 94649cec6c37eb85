// The Pacemaker probe's fixtures (test/fixtures/pacemaker) as the probe
// reads them: crm_mon's XML in the remote command's sections, and the text
// crm_mon prints for the same state.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePacemakerProbe, type PacemakerSnapshot } from '../../src/probes/pacemaker.js';

const fixture = (file: string) => readFileSync(join(import.meta.dirname, '../fixtures/pacemaker', file), 'utf8');
export const xml = (name: string) => fixture(`${name}.xml`);
/** What `crm_mon -1` printed for the state of NAME.xml (capture-states.sh). */
export const crmMonText = (name: string) => fixture(`${name}.txt`);
export const section = (name: string, stdout: string, exit = 0, stderr = '') => `@@baton:${name}\n${stdout}\n@@baton:stderr\n${stderr}\n@@baton:exit ${exit}\n`;
export const probeOutput = (crmMon: string, constraints = '<constraints/>\n') => section('crm_mon', crmMon) + section('constraints', constraints);

export function snapshot(name: string, constraints?: string): PacemakerSnapshot {
  const r = parsePacemakerProbe(probeOutput(xml(name), constraints));
  if (r.kind !== 'snapshot') throw new Error(`${name}: ${r.message}`);
  return r.snapshot;
}
export const messages = (notices: { message: string }[]) => notices.map((n) => n.message);
export const placed = (s: PacemakerSnapshot) => s.resources.map((r) => `${r.id}:${r.role}:${r.nodes.join('+')}`);
