// `baton lab traffic RATE|off`: real HTTP requests to HAProxy's frontend on
// lb1, RATE a second, a new connection each (so every request is a session
// HAProxy balances by weight). The per-server request rates HAProxy measures
// (show stat) are what a rebalance's verify compares with its prediction.
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { httpGet } from '../http-get.js';
import { LAB_HAPROXY } from '../layout.js';

const MAX_RATE = 500;
const REQUEST_TIMEOUT_MS = 2_000;

export class TrafficComponent implements LabComponent {
  readonly name = 'traffic';
  readonly targets: string[] = [];
  private url?: string;
  private rate = 0;
  private timer?: NodeJS.Timeout;
  private ok = 0;
  private failed = 0;
  private inFlight = 0;

  start(ctx: LabContext): Promise<void> {
    const lb = ctx.hosts.find((h) => h.roles.includes('lb'));
    if (lb) this.url = `http://${lb.address}:${LAB_HAPROXY.frontendPort}/`;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    this.rate = 0;
    return Promise.resolve();
  }

  status(): Promise<ComponentStatus> {
    const detail = this.rate === 0 ? `off (lab traffic RATE sends requests to ${this.url ?? 'the frontend'})` : `${this.rate} req/s to ${this.url}: ${this.ok} ok, ${this.failed} failed since set`;
    return Promise.resolve({ name: this.name, healthy: true, detail, failed: [] });
  }

  owns(): boolean {
    return false;
  }

  fail(target: string): Promise<string> {
    return Promise.reject(new Error(`traffic has no fault target ${target}`));
  }

  heal(target: string): Promise<string> {
    return Promise.reject(new Error(`traffic has no fault target ${target}`));
  }

  /** Requests per second; 0 stops. */
  set(rate: number): string {
    if (!this.url) throw new Error('the lab has no lb host: nothing to send traffic to');
    if (!Number.isFinite(rate) || rate < 0 || rate > MAX_RATE) throw new Error(`traffic must be 0 to ${MAX_RATE} requests a second, or off; got ${rate}`);
    clearInterval(this.timer);
    this.rate = rate;
    this.ok = 0;
    this.failed = 0;
    if (rate === 0) return 'traffic off';
    const url = this.url;
    this.timer = setInterval(() => {
      // A frontend that stalls must not pile up requests without bound.
      if (this.inFlight >= rate * 2) return;
      this.inFlight++;
      void httpGet(url, REQUEST_TIMEOUT_MS).then((reply) => {
        this.inFlight--;
        if (reply && reply.status < 400) this.ok++;
        else this.failed++;
      });
    }, 1000 / rate);
    this.timer.unref();
    return `traffic: ${rate} req/s to ${url}`;
  }
}
