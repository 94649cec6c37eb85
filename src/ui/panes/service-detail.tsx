// Full-screen detail of a service item (Enter on a line of a service pane):
// who answered and how, the item's own report, its alerts and recent events.
// Queues add their history charts (queue-detail.tsx); NGINX adds the
// status URL from the inventory.
import { Text } from 'ink';
import { lockHolders } from '../../store/lock-holders.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { useNow } from '../hooks/use-now.js';
import type { ServiceDetail } from '../state/ui-store.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { reportLines, type KindDetail } from './detail-lines.js';
import { alertsDetail } from './alerts-detail-lines.js';
import { mysqlDetail, postgresqlDetail } from './databases-detail-lines.js';
import { DetailReport } from './detail-report.js';
import { etcdDetail } from './etcd-detail-lines.js';
import { haproxyDetail } from './haproxy-detail-lines.js';
import type { ServiceLocks } from './lock-lines.js';
import { nginxDetail, nginxStatusUrl } from './nginx-detail-lines.js';
import { pacemakerDetail } from './pacemaker-detail-lines.js';
import { QueueDetail } from './queue-detail.js';

const KIND_DETAIL: Record<Exclude<ServiceDetail['kind'], 'queues' | 'nginx'>, (snapshot: unknown, item: string, locks: ServiceLocks) => KindDetail> = {
  haproxy: haproxyDetail,
  pacemaker: pacemakerDetail,
  etcd: etcdDetail,
  alerts: alertsDetail,
  postgresql: postgresqlDetail,
  mysql: mysqlDetail,
};

export interface ServiceDetailViewProps {
  detail: ServiceDetail;
  width: number;
  height: number;
  active: boolean;
}

export function ServiceDetailView({ detail, width, height, active }: ServiceDetailViewProps) {
  const theme = useTheme();
  const { intervalMs } = useConsole();
  const service = useBaton((s) => s.services[detail.serviceId]);
  const events = useBaton((s) => s.events);
  const inventory = useBaton((s) => s.inventory);
  const holders = useBaton((s) => lockHolders(s.services));
  const now = useNow(intervalMs);

  if (!service) {
    return (
      <PaneFrame title={detail.serviceId} width={width} height={height} focused>
        <Text {...theme.tokens.crit}> this service is no longer configured — esc goes back</Text>
      </PaneFrame>
    );
  }
  if (detail.kind === 'queues') return <QueueDetail service={service} detail={detail} width={width} height={height} active={active} />;
  // The URL NGINX is asked at matters most when nothing answers yet.
  const kind: KindDetail =
    detail.kind === 'nginx'
      ? nginxDetail(service.snapshot, nginxStatusUrl(inventory, service.key))
      : service.snapshot === undefined
        ? { title: 'no data yet', lines: [] }
        : KIND_DETAIL[detail.kind](service.snapshot, detail.item, { serviceKey: service.key, holders });
  const lines = reportLines(service, kind, events, { now, intervalMs, width: width - 2 });
  return <DetailReport title={`${PANE_TITLES[detail.kind === 'postgresql' || detail.kind === 'mysql' ? 'databases' : detail.kind]} ${service.key} · ${kind.title}`} width={width} height={height} active={active} lines={lines} />;
}
