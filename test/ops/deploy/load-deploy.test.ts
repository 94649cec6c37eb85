import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listDeploys, parseDeploy } from '../../../src/ops/deploy/load-deploy.js';

const base = (stages: string, extra = '') => `name: web
targets: group=web
release: { version: v2, from: "../releases/{version}" }
${extra}stages:
${stages}`;

const errorsOf = (text: string) => {
  const r = parseDeploy('d.yaml', text);
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => e.message);
};

describe('deploy files', () => {
  it('loads a pipeline and orders the stages by needs', () => {
    const r = parseDeploy('d.yaml', base(`  - { name: ready, builtin: lb-ready, needs: [link] }
  - { name: upload, builtin: upload }
  - { name: link, builtin: link, needs: [upload] }
`));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.order.map((i) => r.deploy.stages[i]!.name)).toEqual(['upload', 'link', 'ready']);
  });

  it('a cycle is an error at the needs line', () => {
    const errors = errorsOf(base(`  - { name: upload, builtin: upload }
  - name: link
    builtin: link
    needs: [ready]
  - name: ready
    builtin: lb-ready
    needs: [link]
`));
    expect(errors).toEqual([expect.stringMatching(/^d\.yaml:\d+:\d+: .*cycle: (link -> ready -> link|ready -> link -> ready)/)]);
    expect(errors[0]).toMatch(/^d\.yaml:(8|11):/);
  });

  it('an unknown needs is an error at its line and column, with a suggestion', () => {
    const errors = errorsOf(base(`  - { name: upload, builtin: upload }
  - { name: link, builtin: link, needs: [uplaod] }
`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^d\.yaml:6:42: stages\[1\]\.needs\[0\]: needs uplaod, which is no stage/);
  });

  it('a missing link stage (the commit point) is an error', () => {
    const errors = errorsOf(base(`  - { name: upload, builtin: upload }
`));
    expect(errors[0]).toMatch(/^d\.yaml:5:3: stages: a deploy needs a stage with builtin: link/);
  });

  it('unknown keys and bad values name their place', () => {
    const errors = errorsOf(base(`  - { name: link, builtin: link, retires: 2 }
`, 'strategy: { kind: rolling, serial: "25 percent" }\n'));
    expect(errors.some((e) => /^d\.yaml:6:\d+: unknown key.*\(did you mean retries\?\)|retries/.test(e))).toBe(true);
    expect(errors.some((e) => /^d\.yaml:4:\d+: .*percentage/.test(e))).toBe(true);
  });
});

describe('shipped deploy files', () => {
  it('every file in deploys/ loads', () => {
    const loads = listDeploys(join(import.meta.dirname, '../../../deploys'));
    expect(loads.map((l) => (l.ok ? l.deploy.name : l.errors.map((e) => e.message).join('; ')))).toEqual(['lab-blue-green', 'lab-canary', 'lab-rolling']);
  });
});
