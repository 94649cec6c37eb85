// The view being shown and its focused pane.
import { useMemo } from 'react';
import { useConsole, useUi } from '../context.js';
import { viewPanes } from '../layout.js';
import { FALLBACK_VIEW, type PaneSpec, type ViewDef } from '../views/view.js';

export function findView(views: readonly ViewDef[], name: string): ViewDef {
  return views.find((v) => v.name === name) ?? views[0] ?? FALLBACK_VIEW;
}

export function focusedPane(view: ViewDef, focus: number): PaneSpec | undefined {
  const panes = viewPanes(view);
  return panes.length > 0 ? panes[focus % panes.length] : undefined;
}

export function useCurrentView(): { view: ViewDef; focus: number; focused: PaneSpec | undefined } {
  const { views } = useConsole();
  const name = useUi((s) => s.view);
  const focus = useUi((s) => s.focus);
  const view = useMemo(() => findView(views, name), [views, name]);
  return { view, focus, focused: focusedPane(view, focus) };
}
