// The shapes of Prometheus's API v1 answers (GET /api/v1/alerts and
// /api/v1/rules?type=alert): its alerts, pending ones included, and each
// alerting rule's state. Pure; a bad answer is a message, never a throw.
import { z } from 'zod';
import { parseJsonWith, type ExternalAlert, type JsonParse } from './alertmanager-json.js';

export interface AlertRule {
  group: string;
  name: string;
  /** firing, pending or inactive. */
  state: string;
  /** ok, err or unknown; `lastError` says why when err. */
  health: string;
  lastError?: string;
  query: string;
  /** The rule's `for:` in seconds. */
  forSeconds: number;
  /** Alerts the rule has now (pending and firing). */
  active: number;
}

const labels = z.record(z.string(), z.string());
const promAlert = z.object({ labels, annotations: labels.default({}), state: z.string(), activeAt: z.string().optional() });
const envelope = <T extends z.ZodType>(data: T) => z.object({ status: z.literal('success'), data });

const alertsSchema = envelope(z.object({ alerts: z.array(promAlert) }));
const rulesSchema = envelope(
  z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        rules: z.array(
          z.object({
            type: z.string(),
            name: z.string(),
            state: z.string().optional(),
            health: z.string().default('unknown'),
            lastError: z.string().optional(),
            query: z.string().default(''),
            duration: z.number().default(0),
            alerts: z.array(promAlert).nullish(),
          }),
        ),
      }),
    ),
  }),
);

/** Go's zero time, which Prometheus prints for an alert never active. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function parsePrometheusAlerts(text: string): JsonParse<ExternalAlert[]> {
  const r = parseJsonWith(alertsSchema, text, 'Prometheus /api/v1/alerts');
  if (!r.ok) return r;
  return {
    ok: true,
    value: r.value.data.alerts
      .filter((a) => a.state === 'firing' || a.state === 'pending')
      .map((a) => ({
        source: 'prometheus',
        name: a.labels.alertname ?? '',
        severity: a.labels.severity ?? '',
        state: a.state === 'pending' ? 'pending' : 'firing',
        startsAt: a.activeAt && a.activeAt !== ZERO_TIME ? a.activeAt : '',
        labels: a.labels,
        annotations: a.annotations,
        silencedBy: [],
        inhibitedBy: [],
      })),
  };
}

export function parsePrometheusRules(text: string): JsonParse<AlertRule[]> {
  const r = parseJsonWith(rulesSchema, text, 'Prometheus /api/v1/rules');
  if (!r.ok) return r;
  return {
    ok: true,
    value: r.value.data.groups.flatMap((g) =>
      g.rules
        .filter((rule) => rule.type === 'alerting')
        .map((rule) => ({
          group: g.name,
          name: rule.name,
          state: rule.state ?? 'inactive',
          health: rule.health,
          ...(rule.lastError ? { lastError: rule.lastError } : {}),
          query: rule.query,
          forSeconds: rule.duration,
          active: rule.alerts?.length ?? 0,
        })),
    ),
  };
}
