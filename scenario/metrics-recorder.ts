// Turns each finished simulated request into metric updates: counters and
// histograms at the scrape that first sees its completion, gauges over the
// scrapes during which it was queued, executing or streaming.

import { CLUSTER_NAME, FLOW_SCHEMA_LEVEL, apiserverInstance, type FlowSchemaName } from "./cluster";
import type { Families } from "./metric-families";
import type { Family, MetricStore, Series } from "./metrics-store";
import { mix32 } from "./rng";
import type { Shape } from "./shapes";
import type { SimRequest } from "./task";

export const SLOW_WEBHOOK = "pod-policy.guard.example.com";
export const HEALTHY_WEBHOOK = "sidecar-injector.mesh.example.com";
/** Bytes an object occupies while a response is built (reference cluster). */
const RESPONSE_BYTES_PER_OBJECT = 4096;

interface ShapeSeries {
  duration: Series;
  codes: Map<number, Series>;
  longRunning: Series | null;
  labels: string[];
}

interface FlowSeries {
  dispatched: Series;
  inQueue: Series;
  executing: Series;
  seats: Series;
  wait: Map<string, Series>;
  rejected: Map<string, Series>;
  labels: string[];
}

export class MetricsRecorder {
  private readonly common: string[][];
  private readonly shapes = new Map<string, ShapeSeries>();
  private readonly flows = new Map<string, FlowSeries>();
  private readonly seriesCache = new Map<string, Series>();
  readonly inflight: { readOnly: Series; mutating: Series }[];
  readonly memory: Series[];
  readonly cpu: Series[];
  readonly pods: Series[];

  constructor(
    private readonly store: MetricStore,
    private readonly f: Families,
    apiservers: number,
    private readonly objectScale: number,
  ) {
    this.common = Array.from({ length: apiservers }, (_, i) => [CLUSTER_NAME, apiserverInstance(i), "apiserver"]);
    this.inflight = this.common.map((c) => ({
      readOnly: store.series(f.inflight, ["readOnly", ...c]),
      mutating: store.series(f.inflight, ["mutating", ...c]),
    }));
    this.memory = this.common.map((c) => store.series(f.memory, c));
    this.cpu = this.common.map((c) => store.series(f.cpu, c));
    this.pods = this.common.map((c) => store.series(f.storageObjects, ["pods", ...c]));
  }

  /** Makes sure every flow's gauges exist on every apiserver, even if idle. */
  registerFlow(flow: FlowSchemaName): void {
    for (let i = 0; i < this.common.length; i++) this.flowSeries(i, flow);
  }

  request(req: SimRequest): void {
    const { store } = this;
    const shape = req.task.shape;
    const a = req.apiserver;
    const rejected = req.rejectReason !== null;
    const flow = this.flowSeries(a, req.task.flow);

    // Gauges: whatever is queued, executing or streaming at each scrape.
    if (rejected) {
      if (req.rejectReason === "time-out") store.span(flow.inQueue, req.arrivalUs, req.endUs, 1);
    } else {
      if (req.dispatchUs > req.arrivalUs) store.span(flow.inQueue, req.arrivalUs, req.dispatchUs, 1);
      store.span(flow.executing, req.dispatchUs, req.execEndUs, 1);
      store.span(flow.seats, req.dispatchUs, req.execEndUs, 1);
      const inflight = this.inflight[a];
      if (inflight) store.span(shape.mutating ? inflight.mutating : inflight.readOnly, req.dispatchUs, req.execEndUs, 1);
      if (shape.objects > 0) {
        const bytes = shape.objects * this.objectScale * RESPONSE_BYTES_PER_OBJECT;
        store.span(this.memory[a] as Series, req.dispatchUs, req.execEndUs, bytes);
      }
    }
    const series = this.shapeSeries(a, shape);
    if (req.startedUs >= 0 && series.longRunning) store.span(series.longRunning, req.startedUs, req.endUs, 1);

    // Counters and histograms: only requests that complete inside the window.
    const k = Math.ceil(req.endUs / store.stepUs);
    if (req.endUs <= 0 || k >= store.samples) return;
    store.add(this.codeSeries(series, req.code, a), k, 1);
    store.observe(this.f.requestDuration, series.duration, k, req.endUs - req.arrivalUs);
    if (rejected) {
      store.add(this.keyed(flow.rejected, this.f.rejected, req.rejectReason as string, flow.labels, a), k, 1);
    } else {
      store.add(flow.dispatched, k, 1);
    }
    const wait = this.keyed(flow.wait, this.f.waitDuration, rejected ? "false" : "true", flow.labels, a);
    store.observe(this.f.waitDuration, wait, k, req.waitUs);
    store.add(this.cpu[a] as Series, k, req.cpuUs);
    if (rejected) return;

    const { etcd } = shape;
    if (etcd && req.etcdUs > 0) {
      const series = this.cached(this.f.etcdDuration, `${etcd.operation}|${etcd.type}|${a}`, () => [etcd.operation, etcd.type, ...this.common[a]!]);
      store.observe(this.f.etcdDuration, series, k, req.etcdUs);
    }
    if (shape.admissionOperation) this.recordAdmission(req, shape, k);
    if (req.task.podDelta && req.code < 300) store.add(this.pods[a] as Series, k, req.task.podDelta);
  }

  private recordAdmission(req: SimRequest, shape: Shape, k: number): void {
    const { store, f } = this;
    const common = this.common[req.apiserver]!;
    const op = shape.admissionOperation as string;
    // Built-in admission plugins take tens to hundreds of microseconds.
    const builtinUs = 40 + (mix32(req.seq) % 260);
    const rejected = req.webhookTimedOut ? "true" : "false";
    const key = `${op}|${rejected}|${req.apiserver}`;
    const admit = this.cached(f.admissionStep, `admit|${key}`, () => ["admit", op, "false", ...common]);
    store.observe(f.admissionStep, admit, k, builtinUs + req.mutatingWebhookUs);
    const validate = this.cached(f.admissionStep, `validate|${key}`, () => ["validate", op, rejected, ...common]);
    store.observe(f.admissionStep, validate, k, builtinUs / 2 + req.validatingWebhookUs);
    if (!shape.podWebhooks) return;

    if (op === "CREATE") {
      const d = store.series(f.webhookDuration, [HEALTHY_WEBHOOK, "admit", op, "false", ...common]);
      store.observe(f.webhookDuration, d, k, req.mutatingWebhookUs);
      store.add(store.series(f.webhookRequests, [HEALTHY_WEBHOOK, "admit", op, "200", "false", ...common]), k, 1);
    }
    const d = store.series(f.webhookDuration, [SLOW_WEBHOOK, "validating", op, rejected, ...common]);
    store.observe(f.webhookDuration, d, k, req.validatingWebhookUs);
    // A timed-out call fails closed (failurePolicy Fail); the apiserver reports it as code 400.
    const code = req.webhookTimedOut ? "400" : "200";
    store.add(store.series(f.webhookRequests, [SLOW_WEBHOOK, "validating", op, code, rejected, ...common]), k, 1);
    if (req.webhookTimedOut) {
      const labels = [SLOW_WEBHOOK, "validating", op, "calling_webhook_error", "400", ...common];
      store.add(store.series(f.webhookRejections, labels), k, 1);
    }
  }

  /** store.series behind a cheap string key (label arrays are only built once per series). */
  private cached(family: Family, key: string, labels: () => string[]): Series {
    const cacheKey = `${family.name}|${key}`;
    let series = this.seriesCache.get(cacheKey);
    if (!series) {
      series = this.store.series(family, labels());
      this.seriesCache.set(cacheKey, series);
    }
    return series;
  }

  private shapeSeries(apiserver: number, shape: Shape): ShapeSeries {
    const key = `${shape.key}|${apiserver}`;
    let s = this.shapes.get(key);
    if (!s) {
      const labels = [shape.metricVerb, shape.group, shape.version, shape.resource, shape.subresource, shape.scope, "apiserver", ...this.common[apiserver]!];
      s = {
        labels,
        duration: this.store.series(this.f.requestDuration, labels),
        codes: new Map(),
        longRunning: shape.longRunning ? this.store.series(this.f.longRunning, labels) : null,
      };
      this.shapes.set(key, s);
    }
    return s;
  }

  private codeSeries(s: ShapeSeries, code: number, apiserver: number): Series {
    let series = s.codes.get(code);
    if (!series) {
      const labels = [...s.labels.slice(0, 7), String(code), ...this.common[apiserver]!];
      series = this.store.series(this.f.requestTotal, labels);
      s.codes.set(code, series);
    }
    return series;
  }

  private flowSeries(apiserver: number, flow: FlowSchemaName): FlowSeries {
    const key = `${flow}|${apiserver}`;
    let s = this.flows.get(key);
    if (!s) {
      const labels = [FLOW_SCHEMA_LEVEL[flow], flow];
      const full = [...labels, ...this.common[apiserver]!];
      s = {
        labels,
        dispatched: this.store.series(this.f.dispatched, full),
        inQueue: this.store.series(this.f.inQueue, full),
        executing: this.store.series(this.f.executing, full),
        seats: this.store.series(this.f.executingSeats, full),
        wait: new Map(),
        rejected: new Map(),
      };
      this.flows.set(key, s);
    }
    return s;
  }

  private keyed(cache: Map<string, Series>, family: Families[keyof Families], extra: string, labels: string[], apiserver: number): Series {
    let series = cache.get(extra);
    if (!series) {
      series = this.store.series(family, [...labels, extra, ...this.common[apiserver]!]);
      cache.set(extra, series);
    }
    return series;
  }
}
