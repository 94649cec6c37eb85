// Runs one of Pacemaker's own command-line tools against a CIB file
// (CIB_file makes every tool read and write that file instead of asking the
// CIB manager), or, without a file, against the cluster running on this
// machine, or on a node of the real cluster (`via`: the nsenter argv that
// enters it). Bounded: a tool that hangs is killed, so no child outlives the call.
import { execFile } from 'node:child_process';

const TOOL_TIMEOUT_MS = 10_000;

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/** cibFile undefined: the running cluster's CIB manager (CIB_file is then taken out of the environment). */
export function runPcmkTool(tool: string, args: string[], cibFile: string | undefined, signal?: AbortSignal, via: readonly string[] = []): Promise<ToolResult> {
  const env = { ...process.env, CIB_file: cibFile };
  if (cibFile === undefined) delete env.CIB_file;
  return new Promise((resolve, reject) => {
    const [command = tool, ...argv] = [...via, tool, ...args];
    execFile(
      command,
      argv,
      { env, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL', signal, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const why = stderr.trim().split('\n').slice(-3).join(' / ') || err.message;
          reject(new Error(`${tool} ${args.join(' ')} failed on ${cibFile ?? 'the running cluster'}: ${why}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
