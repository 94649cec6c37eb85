// The commands the alertmanager actions run on the Alertmanager host: curl
// against its API v2, every value shell-quoted; a silence's JSON body goes
// to curl on stdin (printf of one quoted word), never into the command's
// syntax.
import { quote } from 'shell-quote';
import { apiBase, CURL_FLAGS } from '../../probes/alertmanager-command.js';
import type { SilenceMatcher } from '../../probes/alertmanager-json.js';

export interface SilenceBody {
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export function postSilenceCommand(url: string, body: SilenceBody): string {
  const curl = ['curl', ...CURL_FLAGS, '-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', '@-', `${apiBase(url)}/api/v2/silences`];
  return `printf '%s' ${quote([JSON.stringify(body)])} | ${quote(curl)}`;
}

export function deleteSilenceCommand(url: string, id: string): string {
  return quote(['curl', ...CURL_FLAGS, '-X', 'DELETE', `${apiBase(url)}/api/v2/silence/${encodeURIComponent(id)}`]);
}
