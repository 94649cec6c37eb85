// Framing for the long-lived remote shell: many commands over one SSH channel,
// no login per command. Each command's output is delimited by markers built
// from a random per-session token that the shell holds in two variables, so
// the full token never appears in any command text and cannot be echoed back
// by accident. Markers are found anywhere in the byte stream (not only at line
// starts), so output without a trailing newline, binary output or output that
// looks like a marker of another session cannot break a frame. A frame opens
// with a begin marker on each stream: what comes before it (the greeting of a
// chatty ~/.bashrc, which runs before the shell reads its first request) is
// nobody's output and is dropped.
import { randomBytes } from 'node:crypto';
import { quote } from 'shell-quote';

export interface SessionToken {
  head: string;
  tail: string;
}

export function newSessionToken(): SessionToken {
  const hex = randomBytes(16).toString('hex');
  return { head: hex.slice(0, 16), tail: hex.slice(16) };
}

/** First thing written to the shell: hides the token halves in variables. */
export function sessionPrelude(token: SessionToken): string {
  return `bt_h=${token.head}; bt_t=${token.tail}\n`;
}

/**
 * One request. The command is passed to `eval` as a single quoted word so a
 * syntax error fails that command alone instead of swallowing the protocol
 * lines that follow. It runs in a background subshell so its pid can be
 * reported (for a remote kill on timeout) and its stdin is /dev/null: the
 * shell's own stdin is the request stream, and the token variables are unset
 * inside it so the command cannot print them.
 *
 * `inline` runs the command in the session shell itself, saving the fork:
 * only for baton's own builtin-only probes, which neither exit, read stdin
 * nor touch the token. Such a command has no pid; on a timeout the whole
 * shell is dropped instead.
 */
export function frameRequest(id: number, command: string, inline = false): string {
  const mark = `"$bt_h$bt_t"`;
  const start = inline
    ? `{ eval ${quote([command])}; } </dev/null; bt_c=$?; `
    : `( unset bt_h bt_t bt_p bt_c; eval ${quote([command])} ) </dev/null & bt_p=$!; ` +
      `printf '%s P ${id} %s\\n' ${mark} "$bt_p" >&2; ` +
      `wait "$bt_p"; bt_c=$?; `;
  const begin = `printf '%s B ${id}\\n' ${mark}; printf '%s B ${id}\\n' ${mark} >&2; `;
  return begin + start + `printf '%s E ${id} %s\\n' ${mark} "$bt_c"; ` + `printf '%s E ${id}\\n' ${mark} >&2\n`;
}

export type FrameEvent =
  | { type: 'pid'; id: number; pid: number }
  | { type: 'done'; id: number; code: number; stdout: Buffer; stderr: Buffer };

/**
 * Decodes the shell's stdout and stderr for one request at a time (requests
 * on a shell are sequential). A frame is done when both streams carried
 * their end marker.
 */
export class FrameDecoder {
  private readonly token: Buffer;
  private id = -1;
  private out: Buffer = Buffer.alloc(0);
  private err: Buffer = Buffer.alloc(0);
  private outEnd: { at: number; code: number } | undefined;
  private errEnd: number | undefined;
  private outBegun = false;
  private errBegun = false;
  private pidSeen = false;

  constructor(token: SessionToken) {
    this.token = Buffer.from(token.head + token.tail);
  }

  /** Starts waiting for request `id`; bytes before its frame are dropped. */
  expect(id: number): void {
    this.id = id;
    this.out = Buffer.alloc(0);
    this.err = Buffer.alloc(0);
    this.outEnd = undefined;
    this.errEnd = undefined;
    this.outBegun = false;
    this.errBegun = false;
    this.pidSeen = false;
  }

  feed(stream: 'stdout' | 'stderr', chunk: Buffer): FrameEvent[] {
    if (this.id < 0) return [];
    const events: FrameEvent[] = [];
    if (stream === 'stdout') {
      if (this.outEnd === undefined) {
        this.out = Buffer.concat([this.out, chunk]);
        if (!this.outBegun) [this.outBegun, this.out] = this.afterBegin(this.out);
        if (this.outBegun) this.outEnd = this.findOutEnd();
      }
    } else if (this.errEnd === undefined) {
      this.err = Buffer.concat([this.err, chunk]);
      if (!this.errBegun) [this.errBegun, this.err] = this.afterBegin(this.err);
      if (this.errBegun) {
        const pid = this.pidSeen ? undefined : this.takePidMarker();
        if (pid !== undefined) events.push({ type: 'pid', id: this.id, pid });
        this.errEnd = this.findMarker(this.err, ` E ${this.id}\n`);
      }
    }
    if (this.outEnd !== undefined && this.errEnd !== undefined) {
      events.push({
        type: 'done',
        id: this.id,
        code: this.outEnd.code,
        stdout: this.out.subarray(0, this.outEnd.at),
        stderr: this.err.subarray(0, this.errEnd),
      });
      this.id = -1;
    }
    return events;
  }

  /**
   * Whether the frame's begin marker has come, and the bytes to keep: those
   * after it, or while it has not come only a tail that may hold its start.
   */
  private afterBegin(buf: Buffer): [boolean, Buffer] {
    const marker = Buffer.concat([this.token, Buffer.from(` B ${this.id}\n`)]);
    const at = buf.indexOf(marker);
    if (at >= 0) return [true, buf.subarray(at + marker.length)];
    return [false, buf.subarray(Math.max(0, buf.length - marker.length + 1))];
  }

  private findMarker(buf: Buffer, suffix: string): number | undefined {
    const at = buf.indexOf(Buffer.concat([this.token, Buffer.from(suffix)]));
    return at < 0 ? undefined : at;
  }

  private findOutEnd(): { at: number; code: number } | undefined {
    const marker = this.findValueMarker(this.out, 'E');
    if (!marker) return undefined;
    return { at: marker.at, code: Number.isInteger(marker.value) ? marker.value : -1 };
  }

  /** Removes the pid marker from stderr (it is protocol, not output). */
  private takePidMarker(): number | undefined {
    const marker = this.findValueMarker(this.err, 'P');
    if (!marker) return undefined;
    this.err = Buffer.concat([this.err.subarray(0, marker.at), this.err.subarray(marker.end)]);
    this.pidSeen = true;
    return Number.isInteger(marker.value) && marker.value > 0 ? marker.value : undefined;
  }

  /** Finds a complete `<token> <tag> <id> <number>\n` marker: where it starts and ends, and its number. */
  private findValueMarker(buf: Buffer, tag: 'E' | 'P'): { at: number; end: number; value: number } | undefined {
    const prefix = Buffer.concat([this.token, Buffer.from(` ${tag} ${this.id} `)]);
    const at = buf.indexOf(prefix);
    if (at < 0) return undefined;
    const eol = buf.indexOf(0x0a, at + prefix.length);
    if (eol < 0) return undefined;
    return { at, end: eol + 1, value: Number(buf.subarray(at + prefix.length, eol).toString('latin1')) };
  }
}

/**
 * Kills a remote process and all its descendants (parents first), for a
 * command that overran its timeout. Uses `ps`, present on every Linux.
 */
export function killTreeCommand(pid: number): string {
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`refusing to kill pid ${pid}`);
  // The whole tree is listed first, parents before children, and killed in
  // that order: a parent killed after its child would see the child die and
  // run on (`sleep 30; echo never` would echo) before its own SIGKILL lands.
  return (
    'bt_k() { echo "$1"; for bt_c in $(ps -eo pid=,ppid= | while read -r p pp; do [ "$pp" = "$1" ] && echo "$p"; done); ' +
    `do bt_k "$bt_c"; done; }; kill -KILL $(bt_k ${pid}) 2>/dev/null`
  );
}
