import type { PaneSpec } from '../views/view.js';

export interface PaneProps {
  spec: PaneSpec;
  width: number;
  height: number;
  /** Drawn as focused. */
  focused: boolean;
  /** Focused and no overlay or input is taking the keys. */
  active: boolean;
}
