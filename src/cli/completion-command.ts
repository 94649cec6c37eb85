// `baton completion <shell>` and the hidden calls the scripts and the build
// make: `__complete views|themes|hosts -- WORDS` (names offered at TAB time)
// and `__man-page` (dist/baton.1).
import { Argument, type Command } from 'commander';
import { loadInventory } from '../inventory/load.js';
import { loadConsoleConfig } from '../ui/config/load-console-config.js';
import { defaultConfigDir } from '../ui/config/paths.js';
import { bashCompletion, fishCompletion, zshCompletion } from './completion.js';
import { commandSpecs, SHELLS } from './completion-spec.js';
import { loadConfigFile } from './config-file.js';
import { manPage } from './man-page.js';

const KINDS = ['views', 'themes', 'hosts'] as const;

/** The value after -i/--inventory among the words typed so far, if any. */
export function inventoryAmong(words: readonly string[]): string | undefined {
  let found: string | undefined;
  words.forEach((word, i) => {
    if (word === '-i' || word === '--inventory') found = words[i + 1] ?? found;
    else if (word.startsWith('--inventory=')) found = word.slice('--inventory='.length);
  });
  return found;
}

async function names(kind: (typeof KINDS)[number], words: readonly string[]): Promise<string[]> {
  if (kind === 'hosts') {
    const inventory = await loadInventory(inventoryAmong(words) ?? loadConfigFile().inventory);
    return [...inventory.hosts.map((h) => h.id), ...Object.keys(inventory.groups).map((g) => `group=${g}`)];
  }
  const config = loadConsoleConfig(defaultConfigDir());
  return kind === 'views' ? config.views.map((v) => v.name) : [...config.themes.keys()];
}

export function registerCompletion(program: Command, setCode: (code: number) => void): void {
  program
    .command('completion')
    .description('print the shell completion script (bash: eval "$(baton completion bash)")')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .action((shell: (typeof SHELLS)[number]) => {
      const specs = commandSpecs(program);
      process.stdout.write(shell === 'bash' ? bashCompletion(specs) : shell === 'zsh' ? zshCompletion(specs) : fishCompletion(specs));
      setCode(0);
    });

  program
    .command('__complete', { hidden: true })
    .description('names for the completion scripts, one a line')
    .addArgument(new Argument('<kind>').choices(KINDS))
    .argument('[words...]', 'the words typed so far (for -i)')
    .action(async (kind: (typeof KINDS)[number], words: string[]) => {
      process.stdout.write((await names(kind, words)).map((n) => `${n}\n`).join(''));
      setCode(0);
    });

  program
    .command('__man-page', { hidden: true })
    .description('print baton.1')
    .action(() => {
      process.stdout.write(manPage(program, program.version() ?? ''));
      setCode(0);
    });
}
