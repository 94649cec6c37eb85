// The body of one NGINX host's block: connections now (active, reading,
// writing, waiting) beside the rates and counters (requests and accepts per
// second, dropped, handled), two columns when they fit, else one. Pure.
import type { NginxServiceSnapshot } from '../../monitor/service-plan.js';
import { DEFAULT_ACTIVE_THRESHOLD } from '../../probes/nginx-alerts.js';
import { formatRate } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line, type Part } from '../widgets/styled-lines.js';
import type { BlockContext } from './service-block.js';
import { SERVICE_ITEM } from './service-items.js';

interface Figure {
  label: string;
  value: string;
  token?: Token;
}

const LABEL_WIDTH = 10;
const GAP = 3;

/** Over the alert threshold shows as the alert does (warn): the same limit. */
export const activeToken = (active: number): Token => (active > DEFAULT_ACTIVE_THRESHOLD ? 'warn' : 'text');
/** Accepted but never handled: worker_connections ran out at some point since nginx started. */
export const droppedToken = (dropped: number): Token => (dropped > 0 ? 'warn' : 'muted');

function figureParts(f: Figure, valueWidth: number): Part[] {
  return [
    { text: f.label.padEnd(LABEL_WIDTH), token: 'muted' },
    { text: f.value.padStart(valueWidth), token: f.token },
  ];
}

const widest = (figures: readonly Figure[]): number => Math.max(...figures.map((f) => f.value.length));

export function nginxLines(snapshot: unknown, ctx: BlockContext): Line[] {
  const s = snapshot as NginxServiceSnapshot;
  const now: Figure[] = [
    { label: 'active', value: String(s.active), token: activeToken(s.active) },
    { label: 'reading', value: String(s.reading) },
    { label: 'writing', value: String(s.writing) },
    { label: 'waiting', value: String(s.waiting), token: 'muted' },
  ];
  const counted: Figure[] = [
    { label: 'req/s', value: formatRate(s.rates.requestsPerSec) },
    { label: 'accepts/s', value: formatRate(s.rates.acceptsPerSec) },
    { label: 'dropped', value: String(s.rates.dropped), token: droppedToken(s.rates.dropped) },
    { label: 'handled', value: String(s.handled), token: 'muted' },
  ];
  const nowWidth = widest(now);
  const countedWidth = widest(counted);
  const pairWidth = 1 + LABEL_WIDTH + nowWidth + GAP + LABEL_WIDTH + countedWidth;
  if (pairWidth <= ctx.width) {
    return now.map((f, i) => itemLine(SERVICE_ITEM, [{ text: ' ' }, ...figureParts(f, nowWidth), { text: ' '.repeat(GAP) }, ...figureParts(counted[i]!, countedWidth)]));
  }
  return [...now, ...counted].map((f) => itemLine(SERVICE_ITEM, [{ text: ' ' }, ...figureParts(f, Math.max(nowWidth, countedWidth))]));
}
