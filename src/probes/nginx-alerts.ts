// What an operator must notice in NGINX's stub_status. Pure, so the pane,
// --once and tests share it.
import type { Severity } from './severity.js';
import type { NginxSnapshot } from './nginx.js';

export interface NginxNotice {
  severity: Severity;
  message: string;
}

export const DEFAULT_ACTIVE_THRESHOLD = 1000;

export function nginxAlerts(snapshot: NginxSnapshot, activeThreshold = DEFAULT_ACTIVE_THRESHOLD): NginxNotice[] {
  if (snapshot.active <= activeThreshold) return [];
  return [{ severity: 'warn', message: `nginx has ${snapshot.active} active connections (over ${activeThreshold})` }];
}
