// The shapes of Alertmanager's API v2 answers (GET /api/v2/alerts,
// /api/v2/silences, POST /api/v2/silences) and what baton keeps of them.
// Pure; a bad answer is a message, never a throw.
import { z } from 'zod';

/** What an alert is doing now, as the Alerts pane shows it. */
export type AlertState = 'firing' | 'pending' | 'silenced' | 'inhibited';
export type AlertSource = 'alertmanager' | 'prometheus';

/** One alert from Alertmanager or Prometheus. */
export interface ExternalAlert {
  source: AlertSource;
  /** The `alertname` label. */
  name: string;
  /** The `severity` label, '' without one. */
  severity: string;
  state: AlertState;
  /** ISO time it started firing (Prometheus: became active, pending included). */
  startsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL?: string;
  /** Alertmanager's fingerprint of the label set. */
  fingerprint?: string;
  silencedBy: string[];
  inhibitedBy: string[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** false for `!=` and `!~`. */
  isEqual: boolean;
}

export interface Silence {
  id: string;
  /** active, pending (starts later) or expired. */
  state: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export type JsonParse<T> = { ok: true; value: T } | { ok: false; message: string };

const labels = z.record(z.string(), z.string());

const alertsSchema = z.array(
  z.object({
    labels,
    annotations: labels.default({}),
    startsAt: z.string(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().optional(),
    status: z.object({
      state: z.string(),
      silencedBy: z.array(z.string()).nullish(),
      inhibitedBy: z.array(z.string()).nullish(),
    }),
  }),
);

const matcherSchema = z.object({ name: z.string(), value: z.string(), isRegex: z.boolean().default(false), isEqual: z.boolean().default(true) });

const silencesSchema = z.array(
  z.object({
    id: z.string(),
    status: z.object({ state: z.string() }),
    matchers: z.array(matcherSchema),
    startsAt: z.string(),
    endsAt: z.string(),
    createdBy: z.string().default(''),
    comment: z.string().default(''),
  }),
);

const postSilenceSchema = z.object({ silenceID: z.string().min(1) });

/** The first issue, said with where it is in the JSON. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'unexpected shape';
}

/** JSON.parse and a schema, both turned into a message on failure. */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string, what: string): JsonParse<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${what}: not JSON (${(error as Error).message})` };
  }
  const r = schema.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: `${what}: unexpected shape at ${firstIssue(r.error)}` };
}

function alertState(status: { state: string; silencedBy?: string[] | null; inhibitedBy?: string[] | null }): AlertState {
  if (status.state !== 'suppressed') return 'firing';
  return (status.silencedBy ?? []).length > 0 ? 'silenced' : 'inhibited';
}

export function parseAlertmanagerAlerts(text: string): JsonParse<ExternalAlert[]> {
  const r = parseJsonWith(alertsSchema, text, 'Alertmanager /api/v2/alerts');
  if (!r.ok) return r;
  return {
    ok: true,
    value: r.value.map((a) => ({
      source: 'alertmanager',
      name: a.labels.alertname ?? '',
      severity: a.labels.severity ?? '',
      state: alertState(a.status),
      startsAt: a.startsAt,
      labels: a.labels,
      annotations: a.annotations,
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
      ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
      silencedBy: a.status.silencedBy ?? [],
      inhibitedBy: a.status.inhibitedBy ?? [],
    })),
  };
}

export function parseSilences(text: string): JsonParse<Silence[]> {
  const r = parseJsonWith(silencesSchema, text, 'Alertmanager /api/v2/silences');
  if (!r.ok) return r;
  return { ok: true, value: r.value.map(({ status, ...s }) => ({ ...s, state: status.state })) };
}

/** POST /api/v2/silences answers `{"silenceID": "..."}`. */
export function parseSilenceCreated(text: string): JsonParse<string> {
  const r = parseJsonWith(postSilenceSchema, text, 'Alertmanager POST /api/v2/silences');
  return r.ok ? { ok: true, value: r.value.silenceID } : r;
}
