// Every action baton ships, in one registry (the operator's own YAML actions join it later).
import { alertmanagerActions } from './alerts/alertmanager-actions.js';
import { deployAction } from './deploy/deploy-action.js';
import { mysqlActions } from './database/mysql-actions.js';
import { postgresqlActions } from './database/postgresql-actions.js';
import { ActionRegistry } from './engine/registry.js';
import { execAction } from './exec/exec-action.js';
import { copyAction } from './files/copy-action.js';
import { fetchAction } from './files/fetch-action.js';
import { etcdActions } from './failover/etcd/etcd-actions.js';
import { haproxyActions } from './failover/haproxy/haproxy-actions.js';
import { pacemakerActions } from './failover/pacemaker/pacemaker-actions.js';
import { lockBreakAction } from './locks/lock-break-action.js';
import { killAction } from './process/kill-action.js';
import { rebalanceAction } from './rebalance/rebalance-action.js';
import { syncActions } from './sync/sync-actions.js';

export function builtinActions(): ActionRegistry {
  const registry = new ActionRegistry().register(execAction).register(copyAction).register(fetchAction).register(killAction).register(lockBreakAction);
  for (const action of pacemakerActions) registry.register(action);
  for (const action of haproxyActions) registry.register(action);
  for (const action of etcdActions) registry.register(action);
  for (const action of syncActions) registry.register(action);
  for (const action of alertmanagerActions) registry.register(action);
  for (const action of postgresqlActions) registry.register(action);
  for (const action of mysqlActions) registry.register(action);
  registry.register(rebalanceAction);
  registry.register(deployAction);
  return registry;
}
