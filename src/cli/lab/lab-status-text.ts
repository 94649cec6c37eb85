// `baton lab status` (and the end of `lab up`) as text an operator reads.
import type { LabStatus } from '../../lab/control-socket.js';
import { labFiles } from '../../lab/lab-paths.js';
import { textTable } from '../text-table.js';

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

export function labStatusText(st: LabStatus, now = Date.now()): string {
  const rows = st.components.map((c) => [c.name, c.healthy ? 'ok' : 'DEGRADED', c.detail]);
  const failed = st.components.flatMap((c) => c.failed);
  const lines = [
    `baton lab in ${st.dir}: supervisor pid ${st.pid}, up ${since(st.startedAt, now)} (started in ${(st.startMs / 1000).toFixed(1)} s), stops itself at ${st.expiresAt}`,
    '',
    textTable(['component', 'state', 'detail'], rows).trimEnd(),
    '',
    `failed:    ${failed.length ? failed.join(', ') : 'nothing (baton lab fail TARGET to inject a fault)'}`,
    `memory:    ${mib(st.memory.pssBytes)} PSS (${mib(st.memory.rssBytes)} RSS, shared pages counted once per process) in ${st.memory.processes} processes`,
    `ssh:       ${st.user}@127.0.3.x port ${st.sshPort}; ssh -F ${labFiles(st.dir).sshConfig} web1`,
    `console:   baton -i ${st.inventory}`,
    ...st.notes.map((n) => `note:      ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}
