// The operator's action files: validated with file:line:column errors like
// every other file; commands filled in with shell-quoted values only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadActionRegistry } from '../../../src/ops/action-registry.js';
import { fillTemplate, templateUses } from '../../../src/ops/custom/command-template.js';
import { customActionDirs, loadCustomActions } from '../../../src/ops/custom/load-custom-actions.js';
import { refuseIfReadOnly } from '../../../src/ops/engine/registry.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function actionsDir(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'baton-custom-'));
  const actions = join(dir, 'actions');
  mkdirSync(actions);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(actions, name), text);
  return actions;
}

describe('command templates', () => {
  it('fill the scope variables and inventory vars as single shell words, leaving the shell its own', () => {
    const command = 'systemctl restart app@$HOST && ls ${vars.deploy_dir} $PATH $(date) ${SERVER}';
    expect(templateUses(command)).toEqual({ variables: ['HOST', 'PATH', 'SERVER'], vars: ['deploy_dir'] });
    expect(fillTemplate(command, { HOST: 'web1', SERVER: 'x; rm -rf /' }, { deploy_dir: '/srv/my app' })).toBe(
      "systemctl restart app@web1 && ls '/srv/my app' $PATH $(date) 'x; rm -rf /'",
    );
    expect(() => fillTemplate('ls ${vars.missing}', {}, {})).toThrow(/inventory var missing is not set/);
  });

  it('never let a value become more than one word, whatever it holds (a real sh says)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((v) => !v.includes('\0')), (value) => {
        const r = spawnSync('sh', ['-c', fillTemplate("printf '%s|' $SERVER", { SERVER: value }, {})], { encoding: 'utf8' });
        expect(r.stdout).toBe(`${value}|`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('loading action files', () => {
  it('reads one action per file or a list, from the operator dir and the inventory dir', () => {
    const actions = actionsDir({
      'restart.yaml': 'name: restart-app\nscope: host\ncommand: systemctl restart app\nkey: R\n',
      'many.yml': 'actions:\n  - name: web.tail\n    scope: selection\n    command: tail -n 5 /var/log/syslog\n    dangerous: false\n  - name: drain-web\n    scope: haproxy.server\n    command: echo $BACKEND $SERVER\n    verify: { state: DRAIN, within: 5 }\n',
      'notes.txt': 'not an action',
    });
    const { actions: loaded, errors } = loadCustomActions([actions]);
    expect(errors).toEqual([]);
    expect(loaded.map((a) => a.spec.name)).toEqual(['web.tail', 'drain-web', 'restart-app']);
    expect(loaded[2]!.spec).toMatchObject({ key: 'R', confirm: true, dangerous: true, timeout: 60, parallel: 32 });
    expect(customActionDirs('/etc/baton/prod.yaml', '/home/ops/.config/baton')).toEqual(['/home/ops/.config/baton/actions', '/etc/baton/actions']);
  });

  it('reports every problem at file:line:column, and a broken file adds no action', () => {
    const actions = actionsDir({
      'bad.yaml': 'name: Restart App\nscope: hosts\ncommand: echo $SERVER\ncomand: x\ntimeout: -1\n',
      'vars.yaml': 'name: wrong-var\nscope: host\ncommand: echo $BACKEND\n',
      'syntax.yaml': 'name: [unclosed\n',
    });
    const { actions: loaded, errors } = loadCustomActions([actions]);
    expect(loaded).toEqual([]);
    const messages = errors.map((e) => e.message.replace(actions + '/', ''));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad\.yaml:1:7: name: expected a lower-case name/),
        expect.stringMatching(/^bad\.yaml:2:8: scope: .*got "hosts"/),
        expect.stringMatching(/^bad\.yaml:4:1: comand: unknown key/),
        expect.stringMatching(/^bad\.yaml:5:10: timeout: /),
        expect.stringMatching(/^vars\.yaml:3:10: command: \$BACKEND is not set for scope host; it gives \$HOST, \$ADDRESS, \$USER, \$PORT/),
        expect.stringMatching(/^syntax\.yaml:\d+:\d+: YAML syntax/),
      ]),
    );
    expect(errors.find((e) => e.message.includes('comand'))?.hint).toMatch(/command/);
  });

  it('joins the registry: a built-in name or a second definition is an error; dangerous: false passes --read-only', () => {
    const actions = actionsDir({
      'a.yaml': 'name: exec\nscope: host\ncommand: id\n',
      'b.yaml': 'name: uptime-all\nscope: selection\ncommand: uptime\ndangerous: false\nconfirm: false\n',
      'c.yaml': 'name: uptime-all\nscope: selection\ncommand: uptime -p\n',
    });
    const { registry, errors } = loadActionRegistry({ file: join(dir, 'inventory.yaml') }, join(dir, 'none'));
    expect(errors.map((e) => e.message.replace(actions + '/', ''))).toEqual([
      'a.yaml:1:7: name: exec is already a built-in action',
      expect.stringMatching(/^c\.yaml:1:7: name: uptime-all is already defined at .*b\.yaml:1$/),
    ]);
    const uptime = registry.get('uptime-all')!;
    expect(uptime.custom).toMatchObject({ dangerous: false, confirm: false });
    expect(refuseIfReadOnly(true, uptime)).toBeUndefined();
    expect(refuseIfReadOnly(true, registry.get('exec')!)?.reason).toMatch(/read-only/);
  });
});
