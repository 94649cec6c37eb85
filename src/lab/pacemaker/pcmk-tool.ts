// Runs one of Pacemaker's own command-line tools against a CIB file
// (CIB_file makes every tool read and write that file instead of asking the
// CIB manager). Bounded: a tool that hangs is killed, so no child outlives
// the call.
import { execFile } from 'node:child_process';

const TOOL_TIMEOUT_MS = 10_000;

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export function runPcmkTool(tool: string, args: string[], cibFile: string, signal?: AbortSignal): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      { env: { ...process.env, CIB_file: cibFile }, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL', signal, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const why = stderr.trim().split('\n').slice(-3).join(' / ') || err.message;
          reject(new Error(`${tool} ${args.join(' ')} failed on ${cibFile}: ${why}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
