// The pieces of Ansible's INI dialect, each checked against the Python code
// Ansible itself runs (ast.literal_eval, shlex.split, expand_hostname_range),
// and the INI reader's errors located at file:line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandHostPattern } from '../../src/inventory/ansible/host-pattern.js';
import { pythonLiteral } from '../../src/inventory/ansible/python-literal.js';
import { shellWords } from '../../src/inventory/ansible/shell-words.js';
import { loadInventory } from '../../src/inventory/load.js';
import { asyncErrorsOf, fixture, located } from './helpers.js';

const noSsh = { sshConfigPath: fixture('ssh', 'empty') };

/** The Python that runs ansible-inventory (its shebang), which can import ansible; else python3. */
function ansiblePython(): string {
  try {
    const script = execFileSync('sh', ['-c', 'command -v ansible-inventory'], { encoding: 'utf8' }).trim();
    return /^#!\s*(\S+)/.exec(readFileSync(script, 'utf8'))?.[1] ?? 'python3';
  } catch {
    return 'python3';
  }
}
const PYTHON = ansiblePython();

/** Runs `code` in Python with the JSON list `inputs` on stdin; it prints one JSON result. */
function python(code: string, inputs: string[]): unknown[] | undefined {
  try {
    return JSON.parse(execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(inputs), encoding: 'utf8', timeout: 30_000 })) as unknown[];
  } catch {
    return undefined;
  }
}

const LITERALS = ['22', '-3', '+2', '1_000', '0x1f', '0o17', '0b101', '1e3', '.5', '5.', '007', 'True', 'False', 'None', 'none', 'web1', '10.0.0.1',
  '"a b"', "'it''s'", '"a" "b"', "'\\x41\\n'", '"a" # comment', '[1, \'a\', [True]]', '[1,]', '(1)', '(1,)', '(1, 2)', "{'k': 1, 'l': [2]}", '{1, 2}',
  '{}', '[]', '"unclosed', 'foo # bar', '/usr/bin/python3', '-', '1.2.3', '3j', '{"a": None}'];
const LITERAL_EVAL = String.raw`
import ast, json, sys
out = []
for s in json.load(sys.stdin):
    try:
        v = ast.literal_eval(s)
        v = list(v) if isinstance(v, (tuple, set)) else v
    except (ValueError, SyntaxError):
        v = s
    out.append(v if not isinstance(v, complex) else s)
print(json.dumps(out))`;

const LINES = ['web1 a=1 b="two words"', "web1 x='single' y=a\\ b", 'web1 a=b#c d', 'web1  #comment', 'h "q\\"uote" \'back\\slash\'', 'h a="" b=', '   '];
const SHLEX = String.raw`
import json, shlex, sys
print(json.dumps([shlex.split(s, comments=True) for s in json.load(sys.stdin)]))`;

const PATTERNS = ['web[01:20]', 'db-[a:f]', 'h[1:10:2]', 'x[0:3].y[a:b]', 'web1:2222', '[::1]:22', '10.0.0.[1:3]', 'a[x:C]', 'n[:2]', 'web1', 'web[1:3]:2200', 'mix[08:11]'];
const EXPAND = String.raw`
import json, sys
from ansible.plugins.inventory import BaseInventoryPlugin
p = BaseInventoryPlugin()
out = []
for s in json.load(sys.stdin):
    hosts, port = p._expand_hostpattern(s)
    out.append({"hosts": hosts, "port": port})
print(json.dumps(out))`;

describe('the INI dialect against Python and Ansible', () => {
  it('reads values as ast.literal_eval does', () => {
    const expected = python(LITERAL_EVAL, LITERALS);
    if (expected === undefined) return expect.fail('python3 is needed to check the literals');
    expect(LITERALS.map(pythonLiteral)).toEqual(expected);
  });

  it('splits host lines as shlex.split(comments=True) does', () => {
    const expected = python(SHLEX, LINES);
    if (expected === undefined) return expect.fail('python3 is needed to check the splitting');
    expect(LINES.map(shellWords)).toEqual(expected);
  });

  it('expands host patterns as Ansible does', () => {
    const expected = python(EXPAND, PATTERNS) as { hosts: string[]; port: number | null }[] | undefined;
    if (expected === undefined) return expect.fail('ansible-core is needed to check the patterns (test/install-deps.sh installs it)');
    expect(PATTERNS.map((p) => expandHostPattern(p))).toEqual(expected.map(({ hosts, port }) => (port === null ? { hosts } : { hosts, port })));
  });
});

describe('INI inventory errors', () => {
  it('locates every problem at file:line', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'baton-ini-')), 'hosts');
    await writeFile(
      file,
      ['[web]', 'web[01:]', 'web3 "unclosed', 'web4 novalue', '[db:children]', 'pg', '[cache:vars]', 'size=1', '[ops:tasks]', '[bad group]'].join('\n'),
    );
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(located(errors)).toEqual([
      `${file}:2:1: host range must specify an end value in "web[01:]"`,
      `${file}:3:1: cannot split host line "web3 "unclosed": no closing quotation`,
      `${file}:4:1: expected key=value host variable, got "novalue"`,
      `${file}:6: [db:children] names an undeclared group "pg"`,
      `${file}:7: [cache:vars] for a group never declared`,
      `${file}:9:1: section "[ops:tasks]" has unknown type "tasks"`,
      `${file}:10:1: invalid section "[bad group]"`,
    ]);
  });

  it('refuses a children cycle', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'baton-ini-')), 'hosts');
    await writeFile(file, '[a]\nh1\n[b:children]\na\n[a:children]\nb\n');
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(located(errors)).toEqual([`${file}:6:1: group "b" as a child of "a" makes a cycle`]);
  });
});
