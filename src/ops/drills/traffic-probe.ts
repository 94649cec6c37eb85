// A drill's traffic probe: starts one request every 1/rate seconds for the
// whole drill (without waiting for the previous one: a slow answer must not
// slow the traffic down) and records each one's start, end and outcome.
import type { Transport } from '../../transport/types.js';
import type { TrafficSpec } from './drill-spec.js';
import { etcdPut, httpGet, remoteHttpGet, tcpExchange, type RequestOutcome, type RequestResult } from './traffic-request.js';

export interface TrafficRecord {
  probe: string;
  /** Epoch ms, with a fraction. */
  startAt: number;
  endAt: number;
  outcome: RequestOutcome;
  detail?: string;
}

const nowMs = () => performance.timeOrigin + performance.now();

/** What one request of this probe is; etcd puts move to the next endpoint after a failure, as a client would. */
export function requester(spec: TrafficSpec, transports: ReadonlyMap<string, Transport>): () => Promise<RequestResult> {
  if (spec.http !== undefined && spec.from !== undefined) {
    const t = transports.get(spec.from);
    if (!t) throw new Error(`traffic ${spec.name}: from: ${spec.from} is no host of the inventory`);
    return () => remoteHttpGet(t, spec.http!, spec.timeout);
  }
  if (spec.http !== undefined) return () => httpGet(spec.http!, spec.timeout);
  if (spec.tcp !== undefined) return () => tcpExchange(spec.tcp!, spec.timeout);
  if (spec.redis !== undefined) return () => tcpExchange(spec.redis!, spec.timeout, 'PING\r\n', '+PONG');
  const put = spec.etcd_put!;
  let at = 0;
  let n = 0;
  return async () => {
    const r = await etcdPut(put.endpoints[at % put.endpoints.length]!, put.key, String(++n), spec.timeout);
    if (r.outcome !== 'ok') at++;
    return r;
  };
}

export class TrafficProbe {
  readonly records: TrafficRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly spec: TrafficSpec,
    private readonly send: () => Promise<RequestResult>,
  ) {}

  start(): void {
    const every = 1000 / this.spec.rate;
    const begun = nowMs();
    let sent = 0;
    const tick = () => {
      // On schedule from the start, so timer drift does not lower the rate.
      while (begun + sent * every <= nowMs()) {
        sent++;
        this.fire();
      }
      this.timer = setTimeout(tick, Math.max(1, begun + sent * every - nowMs()));
    };
    tick();
  }

  private fire(): void {
    const startAt = nowMs();
    const p = this.send()
      .catch((err: Error): RequestResult => ({ outcome: 'fail', detail: err.message }))
      .then((r) => {
        this.records.push({ probe: this.spec.name, startAt, endAt: nowMs(), outcome: r.outcome, ...(r.outcome === 'ok' ? {} : { detail: r.detail }) });
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Stops starting requests; resolves once those under way have ended (each is bounded by its timeout). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }
}
