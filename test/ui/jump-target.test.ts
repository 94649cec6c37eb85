// Where a jump key lands: the current view's pane, else the first view that
// shows the pane whole, and only then one that shows it compact.
import { describe, expect, test } from 'vitest';
import { loadConsoleConfig } from '../../src/ui/config/load-console-config.js';
import { jumpTarget } from '../../src/ui/status-strip/jump-target.js';
import { NO_USER_CONFIG } from './render-app.js';

const { views } = loadConsoleConfig(NO_USER_CONFIG);

describe('jump targets in the shipped views', () => {
  test('W from the actions view goes to the alerts view, not to the incident view that lists them compact (it comes first)', () => {
    const names = views.map((v) => v.name);
    expect(names.indexOf('incident')).toBeLessThan(names.indexOf('alerts'));
    expect(jumpTarget(views, 'actions', 'alerts')).toMatchObject({ view: 'alerts' });
  });

  test('in the incident view a jump stays there, on its compact pane', () => {
    expect(jumpTarget(views, 'incident', 'alerts')).toMatchObject({ view: 'incident' });
    expect(jumpTarget(views, 'incident', 'haproxy')).toMatchObject({ view: 'incident' });
  });

  test('the databases from the overview: the ha view, where the pane is whole', () => {
    expect(jumpTarget(views, 'overview', 'postgresql')).toMatchObject({ view: 'ha' });
  });
});
