// The rebalance dialog's form: strategy (the seed's four), levers, band,
// the queue lever's idle threshold and whether a weight may go to 0.
// Pure: what each key does to it, and the action options it plans with.
import type { Inventory } from '../../inventory/types.js';
import { availableLevers, LEVERS, REBALANCE_DEFAULTS, type Lever } from '../../ops/rebalance/rebalance-args.js';
import { STRATEGIES, type Strategy } from '../../ops/rebalance/strategies.js';

export interface RebalanceForm {
  strategy: Strategy;
  levers: Lever[];
  band: number;
  /** queues: consumers idle longer than this (s) give up their pending entries. */
  idleSeconds: number;
  /** haproxy: a server on an overloaded host may go to weight 0 (sent with --max-step 100, so it can get there). */
  allowZero: boolean;
  /** 0 strategy, 1 levers, 2 band, 3 idle, 4 weight 0. */
  field: number;
  /** The lever the cursor is on in the levers field. */
  lever: number;
}

export const FIELDS = ['strategy', 'levers', 'band', 'idle', 'zero'] as const;
const BAND_MIN = 1;
const BAND_MAX = 50;
/** Idle threshold steps: 1 s up to 10 s, 5 s above. */
const IDLE_FINE = 10;
const IDLE_MAX = 3600;

/** The form as the inventory's rebalance defaults (else the built-in ones) fill it; the levers its hosts have roles for. */
export function initialForm(inventory: Pick<Inventory, 'rebalance' | 'hosts'>): RebalanceForm {
  const d = inventory.rebalance ?? {};
  return { strategy: d.strategy ?? REBALANCE_DEFAULTS.strategy, levers: availableLevers(inventory), band: d.band ?? REBALANCE_DEFAULTS.band, idleSeconds: REBALANCE_DEFAULTS.idleSeconds, allowZero: false, field: 0, lever: 0 };
}

const cycle = <T>(list: readonly T[], at: T, step: number): T => list[(list.indexOf(at) + step + list.length) % list.length]!;

/** ←/→ (step -1/+1) on the field under the cursor; space toggles a lever. */
export function change(form: RebalanceForm, step: -1 | 1): RebalanceForm {
  if (form.field === 0) return { ...form, strategy: cycle(STRATEGIES, form.strategy, step) };
  if (form.field === 1) return { ...form, lever: (form.lever + step + LEVERS.length) % LEVERS.length };
  if (form.field === 2) return { ...form, band: Math.max(BAND_MIN, Math.min(BAND_MAX, form.band + step)) };
  if (form.field === 3) {
    const fine = step < 0 ? form.idleSeconds <= IDLE_FINE : form.idleSeconds < IDLE_FINE;
    return { ...form, idleSeconds: Math.max(1, Math.min(IDLE_MAX, form.idleSeconds + step * (fine ? 1 : 5))) };
  }
  return { ...form, allowZero: !form.allowZero };
}

export function toggleLever(form: RebalanceForm): RebalanceForm {
  const lever = LEVERS[form.lever]!;
  return { ...form, levers: form.levers.includes(lever) ? form.levers.filter((l) => l !== lever) : LEVERS.filter((l) => l === lever || form.levers.includes(l)) };
}

export function moveField(form: RebalanceForm, step: -1 | 1): RebalanceForm {
  return { ...form, field: Math.max(0, Math.min(FIELDS.length - 1, form.field + step)) };
}

/** The options `rebalance` plans with (as `baton act rebalance --strategy … --lever … --band … --idle … [--allow-zero --max-step 100]`). */
export function formOptions(form: RebalanceForm): Record<string, unknown> {
  return { strategy: form.strategy, lever: form.levers, band: String(form.band), idle: String(form.idleSeconds), ...(form.allowZero && { allowZero: true, maxStep: '100' }) };
}
