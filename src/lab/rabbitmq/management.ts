// The lab's own reads of the RabbitMQ management API (readiness, `lab
// status`), as the monitoring user. Bounded; the password goes in the
// Authorization header only, never in a URL, a log line or an error.
export interface ManagementEndpoint {
  managementUrl: string;
  monitor: { user: string; password: string };
}

export type ManagementReply = { ok: true; body: unknown } | { ok: false; error: string };

export async function managementGet(endpoint: ManagementEndpoint, path: string, timeoutMs = 2000): Promise<ManagementReply> {
  const auth = Buffer.from(`${endpoint.monitor.user}:${endpoint.monitor.password}`).toString('base64');
  try {
    const res = await fetch(`${endpoint.managementUrl}${path}`, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (!res.ok) return { ok: false, error: `HTTP ${res.status} ${text.slice(0, 120)}` };
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, error: e.cause?.code ?? e.message };
  }
}

export interface LabQueueFigures {
  name: string;
  messages: number;
  ready: number;
  unacked: number;
  consumers: number;
}

/** The lab's queues as the management API sees them (its figures lag by up to one stats interval). */
export async function labQueueFigures(endpoint: ManagementEndpoint, vhost: string): Promise<LabQueueFigures[]> {
  const columns = 'name,messages,messages_ready,messages_unacknowledged,consumers';
  const reply = await managementGet(endpoint, `/api/queues/${encodeURIComponent(vhost)}?columns=${columns}`);
  if (!reply.ok) throw new Error(`management API ${endpoint.managementUrl}: ${reply.error}`);
  if (!Array.isArray(reply.body)) throw new Error(`management API ${endpoint.managementUrl}: expected a list of queues`);
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return reply.body.map((q: Record<string, unknown>) => ({
    name: String(q.name),
    messages: n(q.messages),
    ready: n(q.messages_ready),
    unacked: n(q.messages_unacknowledged),
    consumers: n(q.consumers),
  }));
}
