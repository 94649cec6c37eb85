// The confirm dialog: the plan as the operator will get it, then `y` for
// an ordinary action, or the target's name typed and Enter when the blast
// radius asks for it (more than 10 hosts, a whole cluster, a named risk).
// Esc (or n for a `y` dialog) cancels; nothing has run or been locked yet.
import { Box, Text, useInput } from 'ink';
import { confirmLevel, confirmWord, type Plan } from '../../ops/engine/plan.js';
import { useTheme } from '../context.js';
import { confirmLines, typedReason } from './confirm-lines.js';
import { PaneFrame } from './pane-frame.js';
import { StyledLines } from './styled-lines.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

export interface ConfirmDialogProps {
  plan: Plan;
  /** What the operator typed so far (typed confirmations). */
  typed: string;
  error?: string;
  width: number;
  height: number;
  active: boolean;
  onType(text: string): void;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ plan, typed, error, width, height, active, onType, onConfirm, onCancel }: ConfirmDialogProps) {
  const theme = useTheme();
  const level = confirmLevel(plan);
  const word = confirmWord(plan);
  useInput(
    (ch, key) => {
      if (key.escape) return onCancel();
      if (level === 'yes') {
        if (ch === 'y' || ch === 'Y') onConfirm();
        else if (ch === 'n' || ch === 'N') onCancel();
        return;
      }
      if (key.return) onConfirm();
      else if (key.backspace || key.delete) onType(typed.slice(0, -1));
      else if (key.ctrl && ch === 'u') onType('');
      else if (!key.ctrl && !key.meta && ch) onType(typed + ch.replace(CONTROL, ''));
    },
    { isActive: active },
  );
  const lines = confirmLines(plan);
  const body = Math.max(1, height - 4);
  return (
    <PaneFrame title={`Confirm ${plan.action}`} info={level === 'typed' ? 'typed confirmation' : undefined} width={width} height={height} focused>
      <StyledLines lines={lines} top={0} height={Math.min(body, lines.length)} />
      <Box flexGrow={1} />
      {error ? (
        <Text wrap="truncate" {...theme.tokens.crit}>{` ${error}`}</Text>
      ) : null}
      {level === 'yes' ? (
        <Text wrap="truncate">
          <Text {...theme.tokens.focus}>{' y'}</Text>
          <Text {...theme.tokens.text}>{' run it  '}</Text>
          <Text {...theme.tokens.focus}>{'n/esc'}</Text>
          <Text {...theme.tokens.text}>{' cancel'}</Text>
        </Text>
      ) : (
        <Text wrap="truncate">
          <Text {...theme.tokens.warn}>{` ${typedReason(plan)}: type `}</Text>
          <Text {...theme.tokens.focus}>{word}</Text>
          <Text {...theme.tokens.warn}>{' and ⏎ to run it, esc cancels: '}</Text>
          <Text {...theme.tokens.text}>{typed}</Text>
          <Text inverse> </Text>
        </Text>
      )}
    </PaneFrame>
  );
}
