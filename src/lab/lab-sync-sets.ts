// The sync sets the lab inventory ships: `app-config` (every web host's
// conf/ like the lab's copy) and `haproxy-cfg` (the standby LBs' haproxy.cfg
// like lb1's: the classic active/standby drift), each with what a real one
// has: haproxy -c on the staged file, a real reload (the master's `reload`),
// and a health check. Paths are as the hosts' sessions see them (/srv/baton).
import { posix } from 'node:path';
import { APP_CONFIG_DIR } from './app-config.js';
import { HAPROXY_CFG, LB_ENV } from './haproxy-config.js';
import { DEPLOY_ROOT } from './host-view.js';
import { LAB_HAPROXY } from './layout.js';

export function labSyncSets(dir: string, components: readonly string[]): Record<string, unknown> {
  const sets: Record<string, unknown> = {};
  if (components.includes('apps')) {
    sets['app-config'] = {
      source: posix.join(dir, 'app-conf'),
      targets: 'group=web',
      path: posix.join(DEPLOY_ROOT, APP_CONFIG_DIR),
      // The app reads its file on each request: no reload; app-status says it still runs.
      health: { command: posix.join(DEPLOY_ROOT, 'bin', 'app-status'), deadline: 10 },
    };
  }
  if (components.includes('haproxy')) {
    const cfg = posix.join(DEPLOY_ROOT, HAPROXY_CFG);
    sets['haproxy-cfg'] = {
      source: `lb1:${cfg}`,
      targets: 'group=lb',
      path: cfg,
      validate: 'haproxy -c -f %s',
      reload: `echo reload | socat -t 5 - "UNIX-CONNECT:$${LB_ENV.run}/master.sock"`,
      health: { command: `curl -fsS -o /dev/null "http://$${LB_ENV.address}:${LAB_HAPROXY.statsHttpPort}/stats"`, deadline: 10 },
    };
  }
  return sets;
}
