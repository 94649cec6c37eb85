// Drives a program in a real pseudo-terminal through tmux, on a private tmux
// server socket so tests never touch the user's own sessions.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export class TmuxPane {
  private readonly socket: string;

  constructor(
    dir: string,
    readonly session: string,
  ) {
    this.socket = join(dir, 'tmux.sock');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  start(command: string, width = 120, height = 32, env: Record<string, string> = {}): void {
    const exports = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.session, '-x', String(width), '-y', String(height), 'env', ...exports, 'sh', '-c', command);
    this.tmux('set-option', '-t', this.session, 'remain-on-exit', 'on');
  }

  /** The visible screen as plain text; with history, the scrolled-off lines of the main screen too. */
  screen(withHistory = false): string {
    return this.tmux('capture-pane', '-p', ...(withHistory ? ['-S', '-'] : []), '-t', this.session);
  }

  /** tmux key names (Enter, Escape, C-c) or literal text with `literal`. */
  keys(keys: string, literal = false): void {
    this.tmux('send-keys', '-t', this.session, ...(literal ? ['-l', keys] : [keys]));
  }

  format(spec: string): string {
    return this.tmux('display-message', '-p', '-t', this.session, spec).trim();
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
