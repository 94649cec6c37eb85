// A custom action's command with its variables filled in. `$NAME` and
// `${NAME}` take the scope's variables (HOST, SERVER, ...), `${vars.NAME}`
// an inventory var of the host; every value goes in shell-quoted, so a
// hostile name from a CIB or a haproxy.cfg stays one word. Any other `$...`
// is the shell's own ($PATH, $(date)) and is left alone.
import { quote } from 'shell-quote';

const VARIABLE = /\$\{vars\.([A-Za-z_][A-Za-z0-9_]*)\}|\$\{([A-Z][A-Z0-9_]*)\}|\$([A-Z][A-Z0-9_]*)(?![A-Za-z0-9_])/g;

export interface TemplateUse {
  variables: string[];
  vars: string[];
}

/** The scope variables and inventory vars a command names (for checking it when the file loads). */
export function templateUses(command: string): TemplateUse {
  const variables = new Set<string>();
  const vars = new Set<string>();
  for (const m of command.matchAll(VARIABLE)) {
    if (m[1] !== undefined) vars.add(m[1]);
    else variables.add((m[2] ?? m[3])!);
  }
  return { variables: [...variables], vars: [...vars] };
}

/**
 * Fills in the command; an uppercase name the scope does not give is left
 * for the shell (checked at load time); a missing inventory var is an error.
 */
export function fillTemplate(command: string, values: Readonly<Record<string, string>>, vars: Readonly<Record<string, unknown>>): string {
  return command.replace(VARIABLE, (whole, varName: string | undefined, braced: string | undefined, bare: string | undefined) => {
    if (varName !== undefined) {
      const value = vars[varName];
      if (value === undefined || value === null) throw new Error(`inventory var ${varName} is not set for this host`);
      return quote([typeof value === 'object' ? JSON.stringify(value) : String(value)]);
    }
    const name = (braced ?? bare)!;
    return Object.hasOwn(values, name) ? quote([values[name]!]) : whole;
  });
}
