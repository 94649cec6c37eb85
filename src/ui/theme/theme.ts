// Themes are semantic tokens mapped to terminal styles (gemini-cli style):
// panes ask for "warn", never for "yellow". A token is a colour or a set of
// attributes, so the monochrome theme can speak in bold and inverse.

export const TOKENS = ['text', 'muted', 'border', 'focus', 'ok', 'warn', 'crit', 'unknown', 'selection'] as const;
export type Token = (typeof TOKENS)[number];

/** What Ink's <Text> accepts. */
export interface TextStyle {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dimColor?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Theme {
  name: string;
  description?: string;
  tokens: Record<Token, TextStyle>;
  /** Chart series, in order; at least one. */
  series: TextStyle[];
}

export function seriesStyle(theme: Theme, index: number): TextStyle {
  return theme.series[index % theme.series.length] ?? theme.tokens.text;
}

/** Built in so a broken or missing themes directory still gives a usable console. */
export const FALLBACK_THEME: Theme = {
  name: 'dark',
  tokens: {
    text: { color: 'white' },
    muted: { color: 'gray' },
    border: { color: 'gray' },
    focus: { color: 'cyan', bold: true },
    ok: { color: 'green' },
    warn: { color: 'yellow' },
    crit: { color: 'red', bold: true },
    unknown: { color: 'magenta' },
    selection: { color: 'black', backgroundColor: 'cyan' },
  },
  series: [{ color: 'cyan' }, { color: 'yellow' }, { color: 'magenta' }],
};

export const MONOCHROME_THEME_NAME = 'monochrome';
export const DEFAULT_THEME_NAME = 'dark';
