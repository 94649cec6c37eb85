// What an inventory error quotes of the operator's text: short, and with
// every control character visible, whichever loader found the problem.
import { describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { quoteSnippet } from '../../src/inventory/quote-snippet.js';
import { SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, located } from './helpers.js';

describe('quoteSnippet', () => {
  it('quotes short text as written, control characters in caret notation', () => {
    expect(quoteSnippet('web1')).toBe('"web1"');
    expect(quoteSnippet('a\x1b[2Jb\x00\x7f\x9b\tc')).toBe('"a^[[2Jb^@^?\\x9b^Ic"');
  });

  it('cuts long text at whole characters and says how long it was', () => {
    expect(quoteSnippet('é'.repeat(100), 3)).toBe('"ééé…" (100 characters)');
    expect(quoteSnippet('😀'.repeat(5), 5)).toBe(`"${'😀'.repeat(5)}"`);
  });
});

describe('a YAML inventory quoting a bad value', () => {
  it('quotes a short, visible part of it', () => {
    const value = `\x1b]0;title\x07${'9'.repeat(5000)}`;
    const errors = located(errorsOf(() => loadBaton(`hosts:\n  web1:\n    port: "${value.replace('\x1b', '\\e').replace('\x07', '\\a')}"\n`, 'inv.yaml', new SshConfig('(none)'))));
    expect(errors).toEqual([`inv.yaml:3:11: hosts.web1.port: expected an integer 1-65535, got "^[]0;title^G${'9'.repeat(50)}…" (5,010 characters)`]);
  });
});
