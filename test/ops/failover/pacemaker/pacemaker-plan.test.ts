// The Pacemaker planner (pure) on captured crm_mon and crm_simulate output:
// the commands, the constraint, the prediction, refusals and risk.
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { confirmLevel } from '../../../../src/ops/engine/plan.js';
import { UsageError } from '../../../../src/ops/engine/registry.js';
import { parsePacemakerArgs } from '../../../../src/ops/failover/pacemaker/pacemaker-args.js';
import { changeCommands } from '../../../../src/ops/failover/pacemaker/pacemaker-commands.js';
import { inAskedState } from '../../../../src/ops/failover/pacemaker/pacemaker-verify.js';
import { snapshot, xml } from '../../../probes/pacemaker-fixtures.js';
import { facts, plan, planned } from './pacemaker-fixtures.js';

const healthy = () => snapshot('healthy');
const commandOf = (p: ReturnType<typeof planned>, id: string) => {
  const s = p.steps.find((x) => x.id === id)!.spec;
  return s.kind === 'command' ? s.command : '';
};

describe('pacemaker.move', () => {
  it('default: place cli-prefer, wait, remove it only if it stays; the prediction as changes', () => {
    const p = planned(plan('move', ['web-group', 'node3'], facts(healthy(), 'move-web-group.xml', 'cleared-after-move.xml')));
    expect(p.steps.map((s) => s.id)).toEqual(['place', 'wait', 'clear']);
    expect(commandOf(p, 'place')).toBe('crm_resource --move --resource=web-group --node=node3');
    expect(commandOf(p, 'clear')).toContain('crm_resource --clear --resource=web-group --node=node3');
    expect(p.targets).toEqual(['web1']);
    expect(p.locks).toEqual(['pacemaker:baton-lab:resource:web-group']);
    expect(p.changes).toContainEqual({ target: 'cli-prefer-web-group', what: 'location constraint', before: 'none', after: 'web-group prefers node3 (score INFINITY)' });
    expect(p.changes).toContainEqual({ target: 'web-vip', what: 'runs on (scheduler prediction)', before: 'node1', after: 'node3' });
    expect(p.preconditions.find((c) => c.what === 'scheduler prediction')?.detail).toBe('Move web-vip ( node1 -> node3 ); Move web-server ( node1 -> node3 )');
    expect(p.risk.reasons).toEqual([]);
    expect(confirmLevel(p)).toBe('yes');
  });

  it('refused when removing the constraint would move it back (as pcs does); --pin keeps it', () => {
    const r = plan('move', ['web-group', 'node3'], facts(healthy(), 'move-web-group.xml', 'cleared-moves-back.xml'));
    expect(r).toMatchObject({ refused: true, hint: 'move with --pin to keep the constraint' });
    expect((r as { reason: string }).reason).toContain('Move web-vip ( node3 -> node1 )');
    const pinned = planned(plan('move', ['web-group', 'node3'], facts(healthy(), 'move-web-group.xml'), { pin: true, lifetime: 'PT2H' }));
    expect(pinned.steps.map((s) => s.label)).toEqual(['crm_resource --move --resource=web-group --node=node3 --lifetime=PT2H']);
    expect(pinned.changes).toContainEqual(expect.objectContaining({ target: 'cli-prefer-web-group', after: 'web-group prefers node3 (score INFINITY, for PT2H)' }));
  });

  it('no node: bans the node it runs on, and says so even if it is the last one', () => {
    const p = planned(plan('move', ['web-group'], facts(healthy(), 'move-web-group.xml', 'cleared-after-move.xml')));
    expect(commandOf(p, 'place')).toBe('crm_resource --move --resource=web-group');
    expect(p.changes).toContainEqual(expect.objectContaining({ target: 'cli-ban-web-group-on-node1', after: expect.stringContaining('applies even if node1 is the last node that can run it') }));
    expect(commandOf(p, 'clear')).toContain('crm_resource --clear --resource=web-group --node=node1');
  });

  it('a prediction that stops the resource everywhere is a risk: typed confirmation', () => {
    const p = planned(plan('ban', ['web-group', 'node1'], facts(healthy(), 'ban-everywhere.xml')));
    expect(p.risk.reasons).toEqual(['the scheduler predicts web-server, web-vip will stop and run nowhere']);
    expect(confirmLevel(p)).toBe('typed');
  });

  it('no prediction: said, and typed confirmation', () => {
    const f = facts(healthy());
    f.prediction = { change: { ok: false, error: 'crm_simulate exited 70' } };
    const p = planned(plan('standby', ['node1'], f));
    expect(p.preconditions).toContainEqual({ what: 'scheduler prediction', ok: false, detail: 'crm_simulate exited 70' });
    expect(confirmLevel(p)).toBe('typed');
  });

  it('a resource or node that does not exist is refused, listing those that do', () => {
    expect(plan('move', ['web', 'node3'], facts(healthy()))).toEqual({ refused: true, reason: 'no resource "web" in cluster baton-lab; its resources: web-group, ping-clone, web-vip, web-server, ping' });
    expect(plan('standby', ['node9'], facts(healthy()))).toEqual({ refused: true, reason: 'no node "node9" in cluster baton-lab; its nodes: node1, node2, node3' });
    expect(plan('move', ['web-group', 'node1'], facts(healthy()))).toEqual({ refused: true, reason: 'web-group already runs on node1' });
  });
});

describe('the other verbs', () => {
  it.each([
    ['ban', ['web-group', 'node2'], {}, ['crm_resource --ban --resource=web-group --node=node2'], 'pacemaker:baton-lab:resource:web-group'],
    ['clear', ['web-group'], {}, ['crm_resource --clear --resource=web-group'], 'pacemaker:baton-lab:resource:web-group'],
    ['standby', ['node1'], {}, ['crm_attribute --type=nodes --node=node1 --name=standby --update=on'], 'pacemaker:baton-lab:node:node1'],
    ['online', ['node1'], {}, ['crm_attribute --type=nodes --node=node1 --name=standby --delete'], 'pacemaker:baton-lab:node:node1'],
    ['maintenance', ['on', 'node2'], {}, ['crm_attribute --type=nodes --node=node2 --name=maintenance --update=on'], 'pacemaker:baton-lab:node:node2'],
    ['maintenance', ['off', 'web-vip'], {}, ['crm_resource --resource=web-vip --meta --set-parameter=maintenance --parameter-value=false'], 'pacemaker:baton-lab:resource:web-vip'],
    ['maintenance', ['on'], {}, ['crm_attribute --type=crm_config --name=maintenance-mode --update=true'], 'pacemaker:baton-lab'],
    ['cleanup', ['web-server', 'node1'], {}, ['crm_resource --cleanup --resource=web-server --node=node1'], 'pacemaker:baton-lab:resource:web-server'],
    ['disable', ['web-group'], {}, ['crm_resource --resource=web-group --meta --set-parameter=target-role --parameter-value=Stopped'], 'pacemaker:baton-lab:resource:web-group'],
    ['enable', ['web-group'], {}, ['crm_resource --resource=web-group --meta --delete-parameter=target-role'], 'pacemaker:baton-lab:resource:web-group'],
  ] as const)('%s %j', (verb, argv, options, commands, lock) => {
    const p = planned(plan(verb, [...argv], facts(healthy(), 'no-change.xml'), options));
    expect(p.steps.map((s) => s.label)).toEqual(commands);
    expect(p.locks).toEqual([lock]);
  });

  it('cluster-wide maintenance touches the whole cluster: typed with its name', () => {
    expect(planned(plan('maintenance', ['on'], facts(healthy(), 'no-change.xml'))).risk.clusters).toEqual(['baton-lab']);
  });

  it('usage errors: missing words, --lifetime without --pin or not ISO 8601, a newline in a name', () => {
    expect(() => parsePacemakerArgs('ban', ['web-group'], {})).toThrow(UsageError);
    expect(() => parsePacemakerArgs('move', ['web-group', 'node3'], { lifetime: 'PT1H' })).toThrow('--lifetime needs --pin');
    expect(() => parsePacemakerArgs('move', ['web-group', 'node3'], { pin: true, lifetime: '1 hour' })).toThrow('ISO 8601');
    expect(() => parsePacemakerArgs('maintenance', ['maybe'], {})).toThrow(UsageError);
    expect(() => parsePacemakerArgs('standby', ['node1\ntouch /tmp/x'], {})).toThrow('newline');
  });
});

describe('hostile names', () => {
  const hostile = ["n2'$(touch pwned)", '-web;touch pwned', 'a`id`b', 'x" && touch pwned #', '$HOME'];

  it('every name is one word of the command line, as written', () => {
    for (const name of hostile) {
      for (const command of changeCommands({ kind: 'ban', resource: name, node: name })) {
        expect(parse(command, {})).toEqual(['crm_resource', '--ban', `--resource=${name}`, `--node=${name}`]);
      }
      expect(parse(changeCommands({ kind: 'standby', node: name, on: true })[0]!, {})).toContain(`--node=${name}`);
    }
  });

  it('names from a crafted CIB reach the plan quoted', () => {
    const s = snapshot('predictions/hostile-crm-mon');
    expect(s.nodes.map((n) => n.name)).toContain("n2'$(touch pwned)");
    const p = planned(plan('move', ['-web;touch pwned', "n2'$(touch pwned)"], facts(s, 'no-change.xml'), { pin: true }));
    expect(parse(p.steps[0]!.spec.kind === 'command' ? p.steps[0]!.spec.command : '', {})).toEqual(['crm_resource', '--move', '--resource=-web;touch pwned', "--node=n2'$(touch pwned)"]);
  });
});

describe('verify: the asked state in crm_mon', () => {
  it('a pinned move: runs there and cli-prefer is in place; unpinned needs it gone', () => {
    const moved = snapshot('resource-moved', xml('resource-moved-constraints'));
    const change = { kind: 'move', resource: 'web-group', node: 'node3', lifetime: null } as const;
    expect(inAskedState(moved, { change, pin: true, from: null })).toEqual({ done: true, detail: 'web-group runs on node3; cli-prefer-web-group in place' });
    expect(inAskedState(moved, { change, pin: false, from: null }).done).toBe(false);
    expect(inAskedState(healthy(), { change, pin: true, from: null })).toEqual({ done: false, detail: 'web-group runs on node1; cli-prefer-web-group removed' });
  });

  it('standby: in standby and running nothing', () => {
    const change = { kind: 'standby', node: 'node1', on: true } as const;
    expect(inAskedState(snapshot('node-standby'), { change, pin: false, from: null })).toEqual({ done: true, detail: 'node1 is standby, running nothing' });
    expect(inAskedState(healthy(), { change, pin: false, from: null })).toMatchObject({ done: false, detail: 'node1 is online, running web-vip, web-server, ping' });
  });
});
