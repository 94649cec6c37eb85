// `baton completion bash|zsh|fish`: the scripts, generated from the command
// tree. View, theme and host names are asked of baton at TAB time
// (`baton __complete views|themes|hosts`), so the operator's own views and
// the inventory on the command line (or in config.yaml) are what is offered.
import { quote } from 'shell-quote';
import type { CommandSpec, OptionSpec, ValueKind } from './completion-spec.js';

const DYNAMIC: Partial<Record<ValueKind, string>> = { views: 'views', themes: 'themes', hosts: 'hosts' };

function words(list: readonly string[]): string {
  return quote([list.join(' ')]);
}

function bashValueCase(spec: CommandSpec, option: OptionSpec): string | undefined {
  const path = spec.path.join(' ');
  const patterns = option.names.map((n) => quote([`${path}:${n}`])).join('|');
  const dynamic = DYNAMIC[option.values];
  if (dynamic) return `      ${patterns}) COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" __complete ${dynamic} -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "$cur")); return ;;`;
  if (option.values === 'files') return `      ${patterns}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`;
  return option.takesValue ? `      ${patterns}) return ;;` : undefined;
}

export function bashCompletion(specs: readonly CommandSpec[]): string {
  const name = specs[0]!.path[0]!;
  const paths = specs.slice(1).map((s) => quote([s.path.join(' ')]));
  const tables = specs.map((s) => {
    const argument = s.argument === 'shells' ? ' bash zsh fish' : '';
    return `      ${quote([s.path.join(' ')])}) opts=${words(s.options.flatMap((o) => o.names))}; subs=${quote([s.subcommands.join(' ') + argument])}; files=${s.argument === 'files' ? 1 : 0} ;;`;
  });
  const values = specs.flatMap((s) => s.options.flatMap((o) => bashValueCase(s, o) ?? []));
  return `# ${name} completion for bash: source it, or install it as
# /usr/share/bash-completion/completions/${name} (\`${name} completion bash\` prints it).
_${name}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local path=${name} i word opts subs files
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    case "$path $word" in
      ${paths.join('|')}) path="$path $word" ;;
    esac
  done
  case "$path:$prev" in
${values.join('\n')}
  esac
  case "$path" in
${tables.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ $files == 1 ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  fi
}
complete -F _${name} ${name}
`;
}

/** zsh runs the bash function through its own bashcompinit layer: one completion logic for both. */
export function zshCompletion(specs: readonly CommandSpec[]): string {
  const name = specs[0]!.path[0]!;
  return `#compdef ${name}
# ${name} completion for zsh: source it from .zshrc (after compinit), or save
# it as _${name} in a directory on $fpath.
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(specs).split('\n').slice(2).join('\n')}`;
}

function fishCondition(spec: CommandSpec): string {
  const [, ...path] = spec.path;
  if (path.length === 0) return '__fish_use_subcommand';
  return path.map((word) => `__fish_seen_subcommand_from ${word}`).join('; and ');
}

function fishOption(name: string, spec: CommandSpec, option: OptionSpec): string {
  const parts = [`complete -c ${name} -n ${quote([fishCondition(spec)])}`];
  for (const n of option.names) parts.push(n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`);
  const dynamic = DYNAMIC[option.values];
  if (dynamic) parts.push(`-x -a ${quote([`(${name} __complete ${dynamic} -- (commandline -opc)[2..-1] 2>/dev/null)`])}`);
  else if (option.values === 'files') parts.push('-r -F');
  else if (option.takesValue) parts.push('-x');
  parts.push(`-d ${quote([option.description])}`);
  return parts.join(' ');
}

export function fishCompletion(specs: readonly CommandSpec[]): string {
  const name = specs[0]!.path[0]!;
  const lines = [`# ${name} completion for fish: save as ~/.config/fish/completions/${name}.fish`, `complete -c ${name} -f`];
  for (const spec of specs) {
    const subs = specs.filter((s) => s.path.length === spec.path.length + 1 && s.path.slice(0, -1).join(' ') === spec.path.join(' '));
    const deeper = subs.map((s) => s.path.at(-1)!);
    const notYet = deeper.length > 0 && spec.path.length > 1 ? `; and not __fish_seen_subcommand_from ${deeper.join(' ')}` : '';
    for (const sub of subs) lines.push(`complete -c ${name} -n ${quote([fishCondition(spec) + notYet])} -a ${sub.path.at(-1)!} -d ${quote([sub.description])}`);
    if (spec.argument === 'shells') lines.push(`complete -c ${name} -n ${quote([fishCondition(spec)])} -a 'bash zsh fish'`);
    if (spec.argument === 'files') lines.push(`complete -c ${name} -n ${quote([fishCondition(spec)])} -F`);
    for (const option of spec.options) lines.push(fishOption(name, spec, option));
  }
  return lines.join('\n') + '\n';
}
