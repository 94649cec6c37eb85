// What every probe's remote output shares: the marker that starts baton's
// own lines, the error a parser throws internally (turned into a parse-error
// result at its boundary, with the raw snippet), and the splitter for output
// made of several commands, each framed as
//   @@baton:<name> / its stdout / @@baton:stderr / its stderr / @@baton:exit <code>.

export const MARK = '@@baton:';
/** How much raw output a parse error carries. */
export const RAW_LIMIT = 300;

/** A parse failure, caught at the parser's boundary. */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
  }
}

export interface CommandSection {
  stdout: string;
  stderr: string;
  /** null when the section was cut short. */
  exitCode: number | null;
}

export interface SplitOptions {
  /** Marker lines that are not section names (e.g. `endpoint URL`). */
  onOtherMarker?(marker: string): void;
  /** Stderr lines to drop (e.g. a tool's JSON log lines). */
  dropStderrLine?(line: string): boolean;
}

/** Splits the output into the named sections; any other text is ignored. */
export function splitCommandSections<N extends string>(output: string, names: readonly N[], options: SplitOptions = {}): Map<N, CommandSection> {
  const sections = new Map<N, CommandSection>();
  let current: CommandSection | undefined;
  let into: 'stdout' | 'stderr' = 'stdout';
  for (const line of output.split('\n')) {
    const marker = line.startsWith(MARK) ? line.slice(MARK.length) : undefined;
    if (marker === 'stderr' && current) into = 'stderr';
    else if (marker?.startsWith('exit ') && current) {
      const code = Number(marker.slice(5));
      current.exitCode = Number.isInteger(code) ? code : null;
      current = undefined;
    } else if (marker !== undefined && (names as readonly string[]).includes(marker)) {
      current = { stdout: '', stderr: '', exitCode: null };
      into = 'stdout';
      sections.set(marker as N, current);
    } else if (marker !== undefined && options.onOtherMarker) options.onOtherMarker(marker);
    else if (current && !(into === 'stderr' && options.dropStderrLine?.(line))) current[into] += `${line}\n`;
  }
  return sections;
}
