// baton.1, written from the same command tree as --help (npm run build
// writes dist/baton.1; the package's `man` field installs it).
import type { Command, Option } from 'commander';
import { visibleCommands, visibleOptions } from './completion-spec.js';

/** Text as roff shows it: backslashes, and a leading dot or quote, escaped. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

function optionItem(option: Option): string {
  return `.TP\n.B ${roff(option.flags)}\n${roff(option.description)}${option.defaultValue !== undefined && option.defaultValue !== false ? ` (default: ${roff(String(option.defaultValue))})` : ''}`;
}

function usage(cmd: Command, path: string[]): string {
  return `${path.join(' ')} ${cmd.usage()}`.trim();
}

/** Every visible command below `cmd`, with the words that lead to it. */
function commandsBelow(cmd: Command, path: string[]): { cmd: Command; path: string[] }[] {
  return visibleCommands(cmd)
    .filter((sub) => sub.name() !== 'help')
    .flatMap((sub) => [{ cmd: sub, path: [...path, sub.name()] }, ...commandsBelow(sub, [...path, sub.name()])]);
}

/** The "after" help text (exit codes, pointers), as the program prints it. */
function epilogue(program: Command): string {
  let text = '';
  program.configureOutput({ writeOut: (s) => (text += s), writeErr: () => undefined });
  program.outputHelp();
  const marker = text.indexOf('\nExit codes:');
  return marker === -1 ? '' : text.slice(marker + 1).trim();
}

export function manPage(program: Command, version: string): string {
  const name = program.name();
  const lines = [
    `.TH ${name.toUpperCase()} 1 "" "${name} ${version}" "User Commands"`,
    '.SH NAME',
    `${name} \\- ${roff(program.description())}`,
    '.SH SYNOPSIS',
    `.B ${roff(usage(program, [name]))}`,
    '.SH DESCRIPTION',
    roff(program.description()) + '.',
    '.SH OPTIONS',
    ...visibleOptions(program).map(optionItem),
    '.SH COMMANDS',
  ];
  for (const { cmd, path } of commandsBelow(program, [name])) {
    lines.push(`.SS ${roff(path.slice(1).join(' '))}`, `.B ${roff(usage(cmd, path))}`, '.PP', roff(cmd.description()));
    lines.push(...visibleOptions(cmd).filter((o) => o.long !== '--help').map(optionItem));
  }
  const after = epilogue(program);
  if (after) lines.push('.SH NOTES', ...after.split('\n').flatMap((line) => ['.PP', roff(line)]));
  lines.push(
    '.SH FILES',
    '.TP',
    '.I $XDG_CONFIG_HOME/baton/config.yaml',
    'Defaults for inventory, interval, theme, view, known\\-hosts and read\\-only (~/.config/baton/config.yaml without XDG_CONFIG_HOME); options given on the command line win.',
  );
  return lines.join('\n') + '\n';
}
