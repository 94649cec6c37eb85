// The drill dialogs' states: the picker of drill files, the plan to confirm
// (y on the lab, the inventory's name typed elsewhere), and the drills the
// journal says were interrupted (restore now or later).
import type { InterruptedDrill } from '../../ops/drills/drill-interrupted.js';
import type { DrillPreview } from '../../ops/drills/drill-preview.js';
import type { DrillSpec } from '../../ops/drills/drill-spec.js';
import type { DrillLoad } from '../../ops/drills/load-drill.js';

export type DrillDialog =
  | { step: 'pick'; drills: DrillLoad[]; cursor: number; error?: string }
  | { step: 'confirm'; spec: DrillSpec; file: string; preview: DrillPreview; lab: boolean; inventory: string; typed: string; error?: string }
  | { step: 'interrupted'; items: InterruptedDrill[]; cursor: number; busy?: string; error?: string };
