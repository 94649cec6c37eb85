// Reads an OpenSSH client config with its `Include`s spliced in, since the
// `ssh-config` package parses one file and leaves Include to the caller.
// Every directive keeps the file and line it came from, for error messages.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import SSHConfig, { LineType, type Directive, type Line, type Section } from 'ssh-config';
import { InventoryError, type SourcePosition } from './errors.js';
import { expandHome } from './local-env.js';

export interface SshConfigTree {
  config: SSHConfig;
  /** Where each directive was written. */
  positions: Map<Line, Required<SourcePosition>>;
}

interface ReadState {
  /** Relative Include paths resolve here: ~/.ssh for ~/.ssh/config, like OpenSSH. */
  baseDir: string;
  positions: SshConfigTree['positions'];
}

export async function readSshConfigTree(file: string, text: string): Promise<SshConfigTree> {
  const state: ReadState = { baseDir: path.dirname(path.resolve(file)), positions: new Map() };
  const lines = await spliceFile(file, text, [await realpath(file)], state);
  const config = new SSHConfig();
  config.push(...lines);
  return { config, positions: state.positions };
}

function isSection(line: Line): line is Section {
  return line.type === LineType.DIRECTIVE && 'config' in line;
}

function isInclude(line: Directive): boolean {
  return line.param.toLowerCase() === 'include';
}

/** Top-level lines of `file`, with Includes replaced by the included lines. */
async function spliceFile(file: string, text: string, stack: string[], state: ReadState): Promise<Line[]> {
  const parsed = parseWithPositions(file, text, state);
  const out: Line[] = [];
  for (const line of parsed) {
    if (line.type !== LineType.DIRECTIVE) continue;
    if (isSection(line)) line.config = await spliceSection(line.config, stack, state);
    // A top-level directive after an included Host block stays global:
    // compute() applies top-level lines to every host wherever they sit,
    // as OpenSSH does once an Include returns.
    out.push(...(isInclude(line) ? await readIncludes(line, stack, state) : [line]));
  }
  return out;
}

async function spliceSection(config: SSHConfig, stack: string[], state: ReadState): Promise<SSHConfig> {
  const out = new SSHConfig();
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE) continue;
    if (!isInclude(line)) {
      out.push(line);
      continue;
    }
    for (const included of await readIncludes(line, stack, state)) {
      if (isSection(included)) {
        throw new InventoryError(
          state.positions.get(included) ?? { file: stack.at(-1) ?? '' },
          `${included.param} block in a file included from inside a Host/Match block is not supported`,
          'move the Include line above the first Host or Match line',
        );
      }
      out.push(included);
    }
  }
  return out;
}

async function readIncludes(include: Directive, stack: string[], state: ReadState): Promise<Line[]> {
  const patterns = typeof include.value === 'string' ? [include.value] : include.value.map((v) => v.val);
  const out: Line[] = [];
  for (const pattern of patterns) {
    const absolute = path.resolve(state.baseDir, expandHome(pattern));
    for (const file of await expandGlob(absolute)) {
      const real = await realpath(file);
      if (stack.includes(real)) {
        const chain = [...stack, real].map((f) => path.basename(f)).join(' -> ');
        throw new InventoryError(
          state.positions.get(include) ?? { file },
          `Include loop: ${chain}`,
          'remove the Include that points back to a file already being read',
        );
      }
      const text = await readFile(file, 'utf8').catch((error: Error) => {
        throw new InventoryError(state.positions.get(include) ?? { file }, `cannot read included ${file}: ${error.message}`);
      });
      out.push(...(await spliceFile(file, text, [...stack, real], state)));
    }
  }
  return out;
}

function parseWithPositions(file: string, text: string, state: ReadState): SSHConfig {
  const parsed = parseOrLocate(file, text);
  let line = 1;
  const visit = (node: Line): void => {
    const lead = node.before.split('\n');
    line += lead.length - 1;
    state.positions.set(node, { file, line, column: (lead.at(-1)?.length ?? 0) + 1 });
    line += node.after.split('\n').length - 1;
    if (isSection(node)) node.config.forEach(visit);
  };
  parsed.forEach(visit);
  return parsed;
}

/** The parser reports no line; each directive is one line, so retry line by line. */
function parseOrLocate(file: string, text: string): SSHConfig {
  try {
    return SSHConfig.parse(text);
  } catch (error) {
    const lines = text.split('\n');
    const bad = lines.findIndex((lineText) => {
      try {
        SSHConfig.parse(lineText);
        return false;
      } catch {
        return true;
      }
    });
    const reason = error instanceof Error ? error.message : String(error);
    throw new InventoryError(
      bad < 0 ? { file } : { file, line: bad + 1, column: 1 },
      `cannot parse ssh config: ${reason}`,
    );
  }
}

/** glob(3) as OpenSSH uses it: `*`, `?`, `[...]`; sorted; no match is not an error. */
async function expandGlob(pattern: string): Promise<string[]> {
  let candidates = [path.parse(pattern).root];
  for (const part of pattern.split(path.sep).filter((p) => p !== '')) {
    if (!/[*?[]/.test(part)) {
      candidates = candidates.map((dir) => path.join(dir, part));
      continue;
    }
    const matcher = segmentMatcher(part);
    const next: string[] = [];
    for (const dir of candidates) {
      const names = await readdir(dir).catch(() => []);
      next.push(...names.filter((name) => matcher.test(name)).map((name) => path.join(dir, name)));
    }
    candidates = next;
  }
  const files: string[] = [];
  for (const file of candidates.sort()) {
    if ((await stat(file).catch(() => undefined))?.isFile()) files.push(file);
  }
  return files;
}

function segmentMatcher(part: string): RegExp {
  let source = part.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i] ?? '';
    const close = ch === '[' ? part.indexOf(']', i + 2) : -1;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (close > 0) {
      const body = part.slice(i + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&');
      source += `[${body}]`;
      i = close;
    } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
