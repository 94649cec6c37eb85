// The exact crm_resource / crm_attribute command lines an action runs, built
// from argv arrays and shell-quoted. Every name goes in as `--option=VALUE`,
// one word: a name that starts with '-' cannot be read as an option.
// The same builders serve the plan's steps and the scheduler's prediction
// (the change applied to a copy of the CIB), so both run the same commands.
import { quote } from 'shell-quote';

/** What one action changes in the CIB, with every name resolved. */
export type CibChange =
  | { kind: 'move'; resource: string; node: string | null; lifetime: string | null }
  | { kind: 'ban'; resource: string; node: string }
  | { kind: 'clear'; resource: string; node?: string }
  | { kind: 'standby'; node: string; on: boolean }
  | { kind: 'maintenance'; on: boolean; scope: { kind: 'cluster' } | { kind: 'node'; node: string } | { kind: 'resource'; resource: string } }
  | { kind: 'cleanup'; resource: string; node: string | null }
  | { kind: 'target-role'; resource: string; stopped: boolean };

const line = (argv: string[]) => quote(argv);

/** The command lines of a change, in order. */
export function changeCommands(change: CibChange): string[] {
  switch (change.kind) {
    case 'move':
      return [
        line([
          'crm_resource',
          '--move',
          `--resource=${change.resource}`,
          ...(change.node !== null ? [`--node=${change.node}`] : []),
          ...(change.lifetime !== null ? [`--lifetime=${change.lifetime}`] : []),
        ]),
      ];
    case 'ban':
      return [line(['crm_resource', '--ban', `--resource=${change.resource}`, `--node=${change.node}`])];
    case 'clear':
      return [line(['crm_resource', '--clear', `--resource=${change.resource}`, ...(change.node !== undefined ? [`--node=${change.node}`] : [])])];
    case 'standby':
      return [
        line(['crm_attribute', '--type=nodes', `--node=${change.node}`, '--name=standby', ...(change.on ? ['--update=on'] : ['--delete'])]),
      ];
    case 'maintenance': {
      const s = change.scope;
      if (s.kind === 'cluster') return [line(['crm_attribute', '--type=crm_config', '--name=maintenance-mode', `--update=${change.on}`])];
      if (s.kind === 'node') return [line(['crm_attribute', '--type=nodes', `--node=${s.node}`, '--name=maintenance', `--update=${change.on ? 'on' : 'off'}`])];
      return [line(['crm_resource', `--resource=${s.resource}`, '--meta', '--set-parameter=maintenance', `--parameter-value=${change.on}`])];
    }
    case 'cleanup':
      return [line(['crm_resource', '--cleanup', `--resource=${change.resource}`, ...(change.node !== null ? [`--node=${change.node}`] : [])])];
    case 'target-role':
      return [
        change.stopped
          ? line(['crm_resource', `--resource=${change.resource}`, '--meta', '--set-parameter=target-role', '--parameter-value=Stopped'])
          : line(['crm_resource', `--resource=${change.resource}`, '--meta', '--delete-parameter=target-role']),
      ];
  }
}

/** The same command aimed at a CIB file (a temp copy) instead of the cluster. */
export function onCibFile(command: string, file: string): string {
  return `CIB_file=${file} ${command}`;
}

/** The location constraint a move or ban creates, by Pacemaker's own naming. */
export function constraintId(change: CibChange, currentNode?: string): string | undefined {
  if (change.kind === 'move') return change.node !== null ? `cli-prefer-${change.resource}` : `cli-ban-${change.resource}-on-${currentNode ?? '?'}`;
  if (change.kind === 'ban') return `cli-ban-${change.resource}-on-${change.node}`;
  return undefined;
}
