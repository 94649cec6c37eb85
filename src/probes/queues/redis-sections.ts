// Splits the queue probe's output at its @@baton: marker lines into what
// each redis-cli call printed and how it exited, per key and per group.
// Only framing here; redis-reply.ts decodes the replies.
import type { QueueKind } from './queue-types.js';

import { MARK } from '../probe-output.js';

export { MARK };

/**
 * The start of every remote redis-cli script (the queue probe's, the queue
 * lever's): `none` when redis-cli is missing, else the reply format it has
 * (--json from 7.0, --no-raw before), and bt_run, which frames one call's
 * output and exit code. Uses bt_h and bt_p; the script closes the `if` with
 * `fi`.
 */
export const REDIS_CLI_PRELUDE: readonly string[] = [
  'if ! command -v redis-cli >/dev/null 2>&1; then',
  `  echo '${MARK}none'; echo 'redis-cli is not installed on this host (Debian and Ubuntu: the redis-tools package)'`,
  'else',
  'bt_f=--no-raw',
  'if redis-cli --json --version >/dev/null 2>&1; then bt_f=--json; fi',
  `echo "${MARK}format \${bt_f#--}"`,
  'bt_run() {',
  `  printf '${MARK}cmd %s\\n' "$1"; shift`,
  '  bt_o=$(redis-cli -h "$bt_h" -p "$bt_p" "$bt_f" "$@" </dev/null 2>&1); bt_rc=$?',
  `  printf '%s\\n${MARK}rc %s\\n' "$bt_o" "$bt_rc"`,
  '}',
];

export interface CommandOutput {
  text: string;
  /** redis-cli's exit code; null when the output stops before it. */
  rc: number | null;
}

export type Commands = Map<string, CommandOutput>;

export interface GroupSection {
  name: string;
  commands: Commands;
}

export interface KeySection {
  kind: QueueKind;
  name: string;
  deadLetter: boolean;
  discovered: boolean;
  commands: Commands;
  groups: GroupSection[];
}

export interface Sections {
  /** `json` or `no-raw`; null when the format line never came. */
  format: string | null;
  /** Set when the probe could not run redis-cli at all. */
  none: string | null;
  /** Commands about the broker itself (TIME), before any key. */
  broker: Commands;
  keys: KeySection[];
  discover: { started: boolean; unavailable: string | null; scanRc: number | null; capped: boolean };
  ended: boolean;
}

const LINE = /^@@baton:([a-z-]+)(?: (.*))?$/;
const KEY_KINDS = new Map<string, { kind: QueueKind; deadLetter: boolean }>([
  ['stream', { kind: 'stream', deadLetter: false }],
  ['list', { kind: 'list', deadLetter: false }],
  ['dead-letters', { kind: 'list', deadLetter: true }],
]);

export function splitSections(output: string): Sections {
  const s: Sections = { format: null, none: null, broker: new Map(), keys: [], discover: { started: false, unavailable: null, scanRc: null, capped: false }, ended: false };
  let target: Commands = s.broker;
  let open: { commands: Commands; name: string; lines: string[] } | null = null;
  const close = (rc: number | null) => {
    if (open && !open.commands.has(open.name)) open.commands.set(open.name, { text: open.lines.join('\n'), rc });
    open = null;
  };
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = LINE.exec(line);
    if (!m) {
      if (open) open.lines.push(line);
      continue;
    }
    const [, tag = '', arg = ''] = m;
    if (tag === 'rc') {
      close(/^\d+$/.test(arg) ? Number(arg) : null);
      continue;
    }
    close(null);
    const keyKind = KEY_KINDS.get(tag);
    if (keyKind) {
      const key: KeySection = { ...keyKind, name: arg, discovered: s.discover.started, commands: new Map(), groups: [] };
      s.keys.push(key);
      target = key.commands;
      continue;
    }
    switch (tag) {
      case 'group': {
        const group = { name: arg, commands: new Map() };
        s.keys.at(-1)?.groups.push(group);
        target = group.commands;
        break;
      }
      case 'cmd':
        open = { commands: target, name: arg, lines: [] };
        break;
      case 'format':
        s.format = arg;
        break;
      case 'none':
        // Nothing follows but the reason, in the probe's words.
        s.none = lines.slice(i + 1).join('\n').trim();
        return s;
      case 'discover':
        s.discover.started = true;
        break;
      case 'discover-unavailable':
        s.discover.unavailable = arg;
        break;
      case 'scan-rc':
        s.discover.scanRc = /^\d+$/.test(arg) ? Number(arg) : null;
        break;
      case 'scan-capped':
        s.discover.capped = true;
        break;
      case 'end':
        s.ended = true;
        break;
    }
  }
  close(null);
  return s;
}
