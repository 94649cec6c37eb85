import { expect, test } from 'vitest';
import { SYSTEM_LOG_COMMAND, SYSTEM_LOG_LINES, trimSystemLog } from '../../src/probes/system-log.js';

test('the command tries the journal, then /var/log/syslog, then /var/log/messages', () => {
  const journal = SYSTEM_LOG_COMMAND.indexOf('journalctl -q -n "$n" --no-pager');
  const syslog = SYSTEM_LOG_COMMAND.indexOf('tail -n "$n" /var/log/syslog');
  const messages = SYSTEM_LOG_COMMAND.indexOf('tail -n "$n" /var/log/messages');
  expect(SYSTEM_LOG_COMMAND).toContain(`n=${SYSTEM_LOG_LINES};`);
  expect(journal).toBeGreaterThan(0);
  expect(syslog).toBeGreaterThan(journal);
  expect(messages).toBeGreaterThan(syslog);
  expect(SYSTEM_LOG_COMMAND).toMatch(/exit 1; fi$/);
});

test('trimming keeps the last lines and drops what would change the terminal', () => {
  const raw = ['one', 'two \x1b[31mred\x1b[0m', 'tab\there', 'bell\x07 osc \x1b]0;title\x07end', '', ''].join('\r\n');
  expect(trimSystemLog(raw).split('\n')).toEqual(['one', 'two red', 'tab    here', 'bell osc end']);
  expect(trimSystemLog(raw, { maxLines: 2 }).split('\n')).toEqual(['tab    here', 'bell osc end']);
  expect(trimSystemLog('x'.repeat(50), { maxLineLength: 10 })).toBe(`${'x'.repeat(9)}…`);
  expect(trimSystemLog('\n\n')).toBe('');
});
