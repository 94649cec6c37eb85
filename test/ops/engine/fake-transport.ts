// A scripted Transport for runner tests: each host answers exec with what
// the test says, after a delay, and honours the abort signal like the real
// ones (the command is killed: code null).
import type { CommandResult, ConnState, RunOptions, Transport } from '../../../src/transport/types.js';
import { TransportError } from '../../../src/transport/types.js';

export interface Script {
  code?: number | null;
  stdout?: string;
  delayMs?: number;
  timedOut?: boolean;
  down?: boolean;
}

export class FakeTransport implements Transport {
  state: ConnState = 'up';
  readonly commands: string[] = [];
  constructor(
    readonly hostId: string,
    private readonly script: (command: string, n: number) => Script,
  ) {}
  connect(): Promise<void> {
    return this.script('', 0).down ? Promise.reject(new TransportError('unreachable', `${this.hostId}: connection refused`)) : Promise.resolve();
  }
  run(command: string, options?: RunOptions): Promise<CommandResult> {
    return this.exec(command, options);
  }
  exec(command: string, options: RunOptions = {}): Promise<CommandResult> {
    this.commands.push(command);
    const s = this.script(command, this.commands.length);
    return new Promise((resolve) => {
      const done = (r: Partial<CommandResult>) => resolve({ stdout: s.stdout ?? '', stderr: '', code: 0, timedOut: false, durationMs: s.delayMs ?? 0, ...r });
      const timer = setTimeout(() => done(s.timedOut ? { code: null, timedOut: true, signal: 'KILL' } : { code: s.code ?? 0 }), s.delayMs ?? 0);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        done({ code: null, signal: 'KILL' });
      });
    });
  }
  upload(): Promise<never> {
    return Promise.reject(new Error('not scripted'));
  }
  download(): Promise<never> {
    return Promise.reject(new Error('not scripted'));
  }
  onState(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
