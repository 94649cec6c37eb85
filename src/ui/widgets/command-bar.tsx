// The input line for `/` (filter, applied as you type; esc restores the old
// one) and `:` (command palette; tab completes and cycles candidates).
import { Text, useInput } from 'ink';
import { useRef } from 'react';
import { applyCompletion, complete, type Completion } from '../commands.js';
import { useConsole, useTheme, useUi } from '../context.js';
import { compileFilter } from '../filter.js';
import { useCommandRunner } from '../hooks/use-command-runner.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

export function CommandBar({ width }: { width: number }) {
  const theme = useTheme();
  const { ui } = useConsole();
  const mode = useUi((s) => s.mode);
  const input = useUi((s) => s.input);
  const target = useUi((s) => s.filterTarget);
  const { run, sources } = useCommandRunner();
  const original = useRef(mode === 'filter' && target ? (ui.getState().filters[target] ?? '') : '');
  const cycle = useRef<{ base: string; completion: Completion; next: number } | undefined>(undefined);
  const isFilter = mode === 'filter';

  const update = (text: string) => {
    const s = ui.getState();
    s.setInput(text);
    if (isFilter && target) s.setFilter(target, text);
  };

  useInput((ch, key) => {
    const s = ui.getState();
    if (!key.tab) cycle.current = undefined;
    if (key.escape) {
      if (isFilter && target) s.setFilter(target, original.current);
      s.setMode('normal');
    } else if (key.return) {
      if (isFilter) s.setMode('normal');
      else run(input);
    } else if (key.tab && !isFilter) {
      const c = cycle.current ?? { base: input, completion: complete(input, sources), next: 0 };
      const candidate = c.completion.candidates[c.next % Math.max(1, c.completion.candidates.length)];
      if (candidate !== undefined) {
        cycle.current = { ...c, next: c.next + 1 };
        s.setInput(applyCompletion(c.base, c.completion, candidate));
      }
    } else if (key.backspace || key.delete) update(input.slice(0, -1));
    else if (key.ctrl && ch === 'u') update('');
    else if (!key.ctrl && !key.meta && ch) update(input + ch.replace(CONTROL, ''));
  });

  const prompt = isFilter ? '/' : ':';
  const hint = isFilter
    ? (compileFilter(input, { text: () => '', fields: {} }).error ?? 'regex · !negate · key=glob · state= group= · ⏎ keep · esc cancel')
    : complete(input, sources).candidates.slice(0, 12).join('  ');
  const room = Math.max(0, width - prompt.length - input.length - 3);
  return (
    <Text wrap="truncate">
      <Text {...theme.tokens.focus}>{prompt}</Text>
      <Text {...theme.tokens.text}>{input}</Text>
      <Text inverse> </Text>
      <Text {...theme.tokens.muted}>{`  ${hint}`.slice(0, room)}</Text>
    </Text>
  );
}
