// The command tree as the shell completions see it, read from commander's
// own definitions (the same ones --help prints): commands, their options,
// and what kind of value each option takes.
import type { Command, Option } from 'commander';

/** Values the completion asks baton for at TAB time, or files from the shell. */
export type ValueKind = 'views' | 'themes' | 'hosts' | 'files' | 'shells' | 'none';

export interface OptionSpec {
  names: string[];
  takesValue: boolean;
  values: ValueKind;
  description: string;
}

export interface CommandSpec {
  /** Words from the program name down, e.g. ['baton', 'lab', 'up']. */
  path: string[];
  description: string;
  options: OptionSpec[];
  subcommands: string[];
  /** What the first argument is, when the command takes one the shell can offer. */
  argument: ValueKind;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** The kind of value by the option's own placeholder: `--hosts <filter>` selects inventory hosts, `--hosts <n>` is a count. */
function valueKind(option: Option): ValueKind {
  if (!option.required && !option.optional) return 'none';
  if (option.long === '--view') return 'views';
  if (option.long === '--theme') return 'themes';
  if (/<filter>/.test(option.flags)) return 'hosts';
  if (/<file>|<dir>|<path>/.test(option.flags)) return 'files';
  return 'none';
}

/** The commands --help lists (hidden ones left out, the implicit `help` in). */
export function visibleCommands(cmd: Command): Command[] {
  return cmd.createHelp().visibleCommands(cmd);
}

/** The options --help lists, -h/--help and -V/--version included. */
export function visibleOptions(cmd: Command): Option[] {
  return cmd.createHelp().visibleOptions(cmd);
}

/** Every visible command, depth first, the program first. */
export function commandSpecs(program: Command): CommandSpec[] {
  const specs: CommandSpec[] = [];
  const walk = (cmd: Command, path: string[]) => {
    const firstArgument = cmd.registeredArguments[0]?.name();
    specs.push({
      path,
      description: cmd.description(),
      options: visibleOptions(cmd).map((o) => ({
        names: [o.short, o.long].filter((n): n is string => n !== undefined),
        takesValue: o.required || o.optional,
        values: valueKind(o),
        description: o.description,
      })),
      subcommands: visibleCommands(cmd).map((c) => c.name()),
      argument: firstArgument === 'shell' ? 'shells' : firstArgument === 'file' || firstArgument === 'dir' ? 'files' : 'none',
    });
    for (const sub of visibleCommands(cmd)) walk(sub, [...path, sub.name()]);
  };
  walk(program, [program.name()]);
  return specs;
}
