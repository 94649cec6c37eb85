// The Alerts pane: Alertmanager's and Prometheus's alerts beside baton's
// own, grouped by alertname and severity (alerts-lines.ts). Enter opens an
// alert's labels and annotations (baton's own: the service or host it
// comes from); m plans alertmanager.silence for the alert under the cursor
// (matchers from its labels), u alertmanager.expire of the silence that
// holds it, both into the confirm dialog.
import { useInput } from 'ink';
import { useMemo } from 'react';
import { alertRows, type AlertRow } from '../../store/alerts.js';
import { SERVICE_KINDS, type ServiceKind } from '../../store/services.js';
import { planAndConfirm } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import { useBaton, useConsole } from '../context.js';
import { useListCursor } from '../hooks/use-list-cursor.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { NotConfigured } from '../widgets/not-configured.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { alertKey } from '../../probes/alertmanager-alerts.js';
import { alertLines, alertsInfo, compactAlertLines, rowAt } from './alerts-lines.js';
import { ALERTS_KEYS, silenceArgs } from './alerts-keys.js';
import type { PaneProps } from './pane-props.js';
import { itemId, SERVICE_ITEM } from './service-items.js';

const KIND = 'alerts';

export function AlertsPane({ spec, width, height, focused, active }: PaneProps) {
  const services = useConsole();
  const actionsUi = useActionsUi();
  const state = useBaton((s) => s);
  const now = useNow(1000);
  const rows = useMemo(() => alertRows(state), [state.inventory, state.hosts, state.order, state.services, state.watches]);
  const configured = useMemo(() => Object.values(state.services).some((s) => s.kind === 'alerts'), [state.services]);
  const inner = width - 2;
  const lines = useMemo(() => (spec.compact ? compactAlertLines(rows, inner) : alertLines(rows, now, inner)), [rows, now, inner, spec.compact]);
  const ids = useMemo(() => lines.map((l) => l.item ?? ''), [lines]);
  const body = Math.max(0, height - 2);
  const cursor = useListCursor(KIND, ids, body);
  const say = services.ui.getState().showMessage;
  const ctx = { ...services, ...actionsUi };

  const open = (r: AlertRow) => {
    if (r.source !== 'baton' && r.serviceId) return services.ui.getState().openServiceDetail({ kind: 'alerts', serviceId: r.serviceId, item: itemId('alert', alertKey(r)) });
    const kind = r.serviceId?.split(':')[0] as ServiceKind | undefined;
    if (r.serviceId && kind && SERVICE_KINDS.includes(kind)) return services.ui.getState().openServiceDetail({ kind, serviceId: r.serviceId, item: SERVICE_ITEM });
    if (r.hostId) return services.ui.getState().openDetail(r.hostId);
  };

  usePaneKeys(active, (action) => {
    if (cursor.navigate(action)) return;
    const r = rowAt(rows, cursor.id);
    if (action === 'open' && r) open(r);
  });

  useInput(
    (input) => {
      const r = rowAt(rows, cursor.id);
      if (input !== ALERTS_KEYS.silence && input !== ALERTS_KEYS.expire) return;
      if (!r || r.source === 'baton') return say('put the cursor on an Alertmanager or Prometheus alert', 'warn');
      if (input === ALERTS_KEYS.silence) {
        if (r.state === 'silenced') return say(`${r.name} is already silenced (${ALERTS_KEYS.expire} expires the silence)`, 'warn');
        return void planAndConfirm(ctx, 'alertmanager.silence', silenceArgs(r));
      }
      const silence = r.silencedBy[0];
      if (!silence) return say(`${r.name} is not silenced`, 'warn');
      void planAndConfirm(ctx, 'alertmanager.expire', [silence]);
    },
    { isActive: active },
  );

  const title = spec.title ?? PANE_TITLES.alerts;
  if (!configured && rows.length === 0) {
    return <NotConfigured title={title} width={width} height={height} focused={focused} hint="add roles: { alertmanager: { url } } (and prometheus) to a host" />;
  }
  return (
    <PaneFrame title={title} info={alertsInfo(rows)} width={width} height={height} focused={focused}>
      <StyledLines lines={lines.length ? lines : [[{ text: ' no alert firing', token: 'ok' }]]} top={cursor.top} height={body} cursor={focused && lines.length ? cursor.index : undefined} />
    </PaneFrame>
  );
}
