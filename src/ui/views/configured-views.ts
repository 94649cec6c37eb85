// A pane marked `ifConfigured` shows only when the inventory declares what
// it draws: on a fleet without databases, a Databases pane in the incident
// view would only say "not configured". A row left without panes goes too,
// and its height to the others. Pure.
import type { ServiceKind } from '../../store/services.js';
import { PANE_SERVICES } from './pane-kinds.js';
import type { ViewDef } from './view.js';

export function configuredViews(views: readonly ViewDef[], declared: ReadonlySet<ServiceKind>): ViewDef[] {
  return views.map((view) => {
    const rows = view.rows
      .map((row) => ({ ...row, panes: row.panes.filter((p) => !p.ifConfigured || (PANE_SERVICES[p.pane] ?? []).some((k) => declared.has(k))) }))
      .filter((row) => row.panes.length > 0);
    // A view of nothing but absent panes keeps them: each says how to configure it.
    return rows.length > 0 ? { ...view, rows } : view;
  });
}
