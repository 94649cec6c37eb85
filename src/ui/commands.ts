// The `:` command palette: names, argument completion and parsing. Pure;
// the console decides what each command does. Later actions add entries.

export interface CompletionSources {
  views: readonly string[];
  themes: readonly string[];
  hosts: readonly string[];
  /** Sortable columns of the focused pane. */
  columns: readonly string[];
  /** Action names (`baton act --list`), for `:act`. */
  actions?: readonly string[];
}

export interface CommandSpec {
  name: string;
  usage: string;
  help: string;
  args?(sources: CompletionSources): readonly string[];
}

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'view', usage: 'view NAME', help: 'switch to a view', args: (s) => s.views },
  { name: 'theme', usage: 'theme NAME', help: 'switch the colour theme', args: (s) => s.themes },
  { name: 'host', usage: 'host NAME', help: 'open a host detail', args: (s) => s.hosts },
  { name: 'sort', usage: 'sort COLUMN [-]', help: 'sort the focused pane (- reverses)', args: (s) => s.columns },
  { name: 'filter', usage: 'filter EXPR', help: 'filter the focused pane' },
  { name: 'exec', usage: 'exec COMMAND', help: 'run COMMAND on the selected hosts (else the filtered ones), after a confirm dialog' },
  { name: 'act', usage: 'act ACTION ARGS', help: 'plan any action (as baton act; --opt=v options), then confirm', args: (s) => s.actions ?? [] },
  { name: 'refresh', usage: 'refresh', help: 'poll every host now' },
  { name: 'help', usage: 'help', help: 'show keys and commands' },
  { name: 'quit', usage: 'quit', help: 'leave baton' },
];

export interface ParsedCommand {
  name: string;
  args: string[];
}

export function parseCommand(input: string): ParsedCommand | undefined {
  const words = input.trim().split(/\s+/).filter((w) => w !== '');
  const [name, ...args] = words;
  return name === undefined ? undefined : { name, args };
}

export interface Completion {
  /** Where the word being completed starts in the input. */
  start: number;
  candidates: string[];
}

const MAX_CANDIDATES = 50;

/** Candidates for the word under the cursor (the end of the input). */
export function complete(input: string, sources: CompletionSources, commands: readonly CommandSpec[] = COMMANDS): Completion {
  const start = input.search(/\S*$/);
  const word = input.slice(start).toLowerCase();
  const before = input.slice(0, start).trim().split(/\s+/).filter((w) => w !== '');
  let pool: readonly string[];
  if (before.length === 0) pool = commands.map((c) => c.name);
  else if (before.length === 1) pool = commands.find((c) => c.name === before[0])?.args?.(sources) ?? [];
  else pool = [];
  const candidates: string[] = [];
  for (const c of pool) {
    if (c.toLowerCase().startsWith(word)) candidates.push(c);
    if (candidates.length >= MAX_CANDIDATES) break;
  }
  return { start, candidates };
}

/** The input with the word under the cursor replaced by `candidate`. */
export function applyCompletion(input: string, completion: Completion, candidate: string): string {
  return `${input.slice(0, completion.start)}${candidate} `;
}
