// themes/*.yaml (built in) then <configDir>/themes/*.yaml (the operator's;
// same name replaces). A bad file is reported and skipped.
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfig, readConfigDir, type ConfigProblem } from '../config/yaml-file.js';
import { FALLBACK_THEME, TOKENS, type TextStyle, type Theme, type Token } from './theme.js';

const NAMED = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
];

const Colour = z.string().refine((c) => NAMED.includes(c) || /^#[0-9a-fA-F]{6}$/.test(c) || /^ansi256\((\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])\)$/.test(c), {
  message: `expected a colour: ${NAMED.slice(0, 8).join(', ')}, ...Bright, gray, #rrggbb or ansi256(N)`,
});

const Style = z.union([
  Colour,
  z
    .object({
      fg: Colour.optional(),
      bg: Colour.optional(),
      bold: z.boolean().optional(),
      dim: z.boolean().optional(),
      underline: z.boolean().optional(),
      inverse: z.boolean().optional(),
    })
    .strict(),
]);

const ThemeFile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').optional(),
    description: z.string().optional(),
    tokens: z.object(Object.fromEntries(TOKENS.map((t) => [t, Style])) as Record<Token, typeof Style>).strict(),
    series: z.array(Style).min(1),
  })
  .strict();

function toTextStyle(style: z.output<typeof Style>): TextStyle {
  if (typeof style === 'string') return { color: style };
  const out: TextStyle = {};
  if (style.fg) out.color = style.fg;
  if (style.bg) out.backgroundColor = style.bg;
  if (style.bold) out.bold = true;
  if (style.dim) out.dimColor = true;
  if (style.underline) out.underline = true;
  if (style.inverse) out.inverse = true;
  return out;
}

export function parseTheme(file: string, stem: string, text: string): { theme?: Theme; problem?: ConfigProblem } {
  const result = parseConfig(file, text, ThemeFile);
  if (!result.ok) return { problem: result.problem };
  const { name, description, tokens, series } = result.value;
  const mapped = Object.fromEntries(TOKENS.map((t) => [t, toTextStyle(tokens[t])])) as Record<Token, TextStyle>;
  return { theme: { name: name ?? stem, description, tokens: mapped, series: series.map(toTextStyle) } };
}

export interface LoadedThemes {
  themes: Map<string, Theme>;
  problems: ConfigProblem[];
}

export function loadThemes(dirs: readonly string[]): LoadedThemes {
  const themes = new Map<string, Theme>([[FALLBACK_THEME.name, FALLBACK_THEME]]);
  const problems: ConfigProblem[] = [];
  for (const dir of dirs) {
    const read = readConfigDir(dir);
    problems.push(...read.problems);
    for (const f of read.files) {
      const { theme, problem } = parseTheme(f.file, f.stem, f.text);
      if (theme) themes.set(theme.name, theme);
      if (problem) problems.push({ ...problem, message: `${problem.message} (theme skipped)` });
    }
  }
  return { themes, problems };
}

export const themeDirs = (packageRoot: string, configDir: string): string[] => [join(packageRoot, 'themes'), join(configDir, 'themes')];
