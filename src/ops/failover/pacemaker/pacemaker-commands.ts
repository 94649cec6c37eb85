// The exact crm_resource / crm_attribute command lines an action runs. Every
// name goes in as `--option=VALUE` with the value shell-quoted: one word, and
// a name that starts with '-' cannot be read as an option.
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

/** `--name=VALUE` with only the value quoted: one shell word that reads as written. */
const opt = (name: string, value: string) => `--${name}=${quote([value])}`;
const line = (words: string[]) => words.join(' ');

/** The command lines of a change, in order. */
export function changeCommands(change: CibChange): string[] {
  switch (change.kind) {
    case 'move':
      return [
        line([
          'crm_resource',
          '--move',
          opt('resource', change.resource),
          ...(change.node !== null ? [opt('node', change.node)] : []),
          ...(change.lifetime !== null ? [opt('lifetime', change.lifetime)] : []),
        ]),
      ];
    case 'ban':
      return [line(['crm_resource', '--ban', opt('resource', change.resource), opt('node', change.node)])];
    case 'clear':
      return [line(['crm_resource', '--clear', opt('resource', change.resource), ...(change.node !== undefined ? [opt('node', change.node)] : [])])];
    case 'standby':
      return [
        line(['crm_attribute', '--type=nodes', opt('node', change.node), '--name=standby', ...(change.on ? ['--update=on'] : ['--delete'])]),
      ];
    case 'maintenance': {
      const s = change.scope;
      if (s.kind === 'cluster') return [line(['crm_attribute', '--type=crm_config', '--name=maintenance-mode', opt('update', String(change.on))])];
      if (s.kind === 'node') return [line(['crm_attribute', '--type=nodes', opt('node', s.node), '--name=maintenance', opt('update', change.on ? 'on' : 'off')])];
      return [line(['crm_resource', opt('resource', s.resource), '--meta', '--set-parameter=maintenance', opt('parameter-value', String(change.on))])];
    }
    case 'cleanup':
      return [line(['crm_resource', '--cleanup', opt('resource', change.resource), ...(change.node !== null ? [opt('node', change.node)] : [])])];
    case 'target-role':
      return [
        change.stopped
          ? line(['crm_resource', opt('resource', change.resource), '--meta', '--set-parameter=target-role', '--parameter-value=Stopped'])
          : line(['crm_resource', opt('resource', change.resource), '--meta', '--delete-parameter=target-role']),
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
