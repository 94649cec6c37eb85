#!/usr/bin/env node
// baton's command line. Exit codes: 0 ok (for --once: every host up),
// 1 usage, inventory or key errors, 2 some hosts not up (--once).
import { applyConfigFile, loadConfigFile } from './config-file.js';
import { buildProgram } from './program.js';
import { printNotice } from './notice.js';

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  applyConfigFile(program, loadConfigFile());
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.code?.startsWith('commander.')) return 1;
    throw err;
  }
  return code;
}

/**
 * Exits once stdout and stderr have drained. A pipe takes 64 KiB at a time
 * and the rest waits in Node's buffers, which process.exit() would drop; the
 * explicit exit is still needed, since a closed connection or a timer may
 * keep the loop alive. An empty write's callback runs after every earlier
 * write's has.
 */
function exitWhenDrained(code: number): void {
  let open = 2;
  const done = () => {
    if (--open === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    // A reader that went away (`| head`) has what it wanted: nothing to report.
    stream.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? code : 1));
    stream.write('', done);
  }
}

main(process.argv).then(exitWhenDrained, (err: Error & { hint?: string }) => {
  printNotice(err.message, err.hint);
  exitWhenDrained(1);
});
