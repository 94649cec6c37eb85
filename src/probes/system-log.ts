// The tail of a host's system log for the host detail view: the journal when
// it has entries this user may read, else the classic syslog files. The
// output is shown in the console, so it is stripped of escape sequences that
// would move the cursor or change the operator's terminal.

export const SYSTEM_LOG_LINES = 200;

/**
 * POSIX sh. `journalctl -q` prints nothing (exit 0) when the journal is empty
 * or unreadable for this user, hence the `grep -q .` probe before using it.
 */
export const SYSTEM_LOG_COMMAND = [
  `n=${SYSTEM_LOG_LINES};`,
  'if command -v journalctl >/dev/null 2>&1 && journalctl -q -n 1 --no-pager 2>/dev/null | grep -q .;',
  'then journalctl -q -n "$n" --no-pager;',
  'elif [ -r /var/log/syslog ]; then tail -n "$n" /var/log/syslog;',
  'elif [ -r /var/log/messages ]; then tail -n "$n" /var/log/messages;',
  "else echo 'no readable system log (journalctl, /var/log/syslog, /var/log/messages); try a user in the systemd-journal or adm group' >&2; exit 1;",
  'fi',
].join(' ');

export interface TrimOptions {
  maxLines?: number;
  maxLineLength?: number;
}

// CSI/OSC sequences first, then any remaining C0/C1 control character.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Last `maxLines` lines, tabs expanded, control characters removed, long lines cut; '' when empty. */
export function trimSystemLog(raw: string, options: TrimOptions = {}): string {
  const maxLines = options.maxLines ?? SYSTEM_LOG_LINES;
  const maxLineLength = options.maxLineLength ?? 400;
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines
    .slice(-maxLines)
    .map((line) => {
      const clean = line.replace(ESCAPES, '').replace(/\t/g, '    ').replace(CONTROLS, '');
      return clean.length > maxLineLength ? `${clean.slice(0, maxLineLength - 1)}…` : clean;
    })
    .join('\n');
}
