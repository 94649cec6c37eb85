// Where a lab keeps its state, and the files in it every part agrees on.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `--dir`, else $BATON_LAB_DIR, else ${XDG_STATE_HOME:-~/.local/state}/baton/lab. */
export function labDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  if (env.BATON_LAB_DIR) return resolve(env.BATON_LAB_DIR);
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'baton', 'lab');
}

export function labFiles(dir: string) {
  return {
    control: join(dir, 'control.sock'),
    supervisorPid: join(dir, 'supervisor.pid'),
    supervisorLog: join(dir, 'logs', 'supervisor.log'),
    logs: join(dir, 'logs'),
    inventory: join(dir, 'inventory.yaml'),
    knownHosts: join(dir, 'known_hosts'),
    identity: join(dir, 'id_ed25519'),
    sshConfig: join(dir, 'ssh_config'),
    hostsDir: join(dir, 'hosts'),
    /** Each host's own area, seen by its sessions as the deploy root. */
    hostRoot: (id: string) => join(dir, 'hosts', id),
  };
}

export type LabFiles = ReturnType<typeof labFiles>;
