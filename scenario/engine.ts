// The discrete-event simulation: every request of every client, in arrival
// order, through APF and the cost model. Each finished request is handed to
// the sink exactly once; metrics and audit events are both derived from it.

import { PriorityLevelQueue } from "./apf";
import { FLOW_SCHEMA_LEVEL, PODS_PER_NODE, REFERENCE_NODES, REQUEST_TIMEOUT_US } from "./cluster";
import { CostModel } from "./cost-model";
import { EventHeap, type Timed } from "./heap";
import type { Timeline } from "./params";
import { Rng, mix32 } from "./rng";
import type { SimRequest, Target, Task } from "./task";
import type { ScenarioParams } from "./types";
import type { Workload } from "./workload";

export interface SimulationSink {
  /** Called before processing an arrival at `nowUs`: nothing finishing at or before it is still to come. */
  advance(nowUs: number): void;
  request(req: SimRequest): void;
  /** A CoreDNS instance could not serve from a synced cache during [fromUs, toUs). */
  dnsDown(instance: number, fromUs: number, toUs: number): void;
}

interface Arrival extends Timed {
  task: Task;
  attempt: number;
  target?: Target;
  /** Scheduled occurrences continue their periodic schedule; retries and triggers don't. */
  scheduled: boolean;
  /** For a relist: the broken watch to re-open once the list succeeds. */
  owner?: Task;
}

interface FragileState {
  breaks: number;
  downSinceUs: number;
}

export function runSimulation(params: ScenarioParams, timeline: Timeline, workload: Workload, sink: SimulationSink): void {
  const rng = new Rng(params.seed, 2);
  const cost = new CostModel(params.apiservers, workload.capacity.scale, PODS_PER_NODE * REFERENCE_NODES);
  const queues = new Map<string, PriorityLevelQueue>();
  const queueFor = (apiserver: number, level: string) => {
    const key = `${apiserver}/${level}`;
    let queue = queues.get(key);
    if (!queue) {
      queue = new PriorityLevelQueue(workload.capacity.nominalSeats[level] ?? 1, workload.capacity.queueLimit);
      queues.set(key, queue);
    }
    return queue;
  };
  const arrivals = new EventHeap<Arrival>();
  const fragile = new Map<number, FragileState>();
  let arrivalSeq = 0;
  let requestSeq = 0;
  let revision = 41_000_000 + (mix32(params.seed) % 9_000_000);

  const schedule = (t: number, task: Task, attempt: number, scheduled: boolean, target?: Target, owner?: Task) => {
    if (t < timeline.endUs) arrivals.push({ t, seq: arrivalSeq++, task, attempt, scheduled, target, owner });
  };

  const newRequest = (task: Task, arrivalUs: number, attempt: number, target?: Target): SimRequest => ({
    seq: requestSeq++,
    task,
    apiserver: task.actor.apiserver,
    attempt,
    namespace: target?.namespace ?? task.namespace,
    name: target?.name ?? task.name,
    arrivalUs,
    dispatchUs: arrivalUs,
    execEndUs: arrivalUs,
    startedUs: -1,
    endUs: arrivalUs,
    code: 200,
    rejectReason: null,
    waitUs: 0,
    etcdUs: 0,
    serializeUs: 0,
    cpuUs: 60,
    mutatingWebhookUs: 0,
    validatingWebhookUs: 0,
    webhookTimedOut: false,
    rv: revision,
    timeoutS: 0,
  });

  // Watches already open when the window starts (they started before it).
  for (const task of workload.tasks) {
    const s = task.schedule;
    if (s.kind === "periodic") schedule(s.firstUs, task, 0, true);
    if (s.kind === "once") schedule(s.atUs, task, 0, false);
    if (s.kind !== "watch") continue;
    if (!s.preexisting) {
      schedule(s.firstUs, task, 0, true);
      continue;
    }
    const timeoutS = rng.int(s.minTimeoutS, s.maxTimeoutS);
    const startUs = -Math.floor(rng.uniform(0, timeoutS * 1e6));
    const req = newRequest(task, startUs - 2000, 0);
    req.rv = revision - rng.int(1000, 200000);
    req.dispatchUs = startUs - 1000;
    req.execEndUs = startUs;
    req.startedUs = startUs;
    req.endUs = startUs + timeoutS * 1e6;
    req.timeoutS = timeoutS;
    sink.request(req);
    schedule(req.endUs + Math.floor(rng.uniform(1000, 100_000)), task, 0, true);
  }

  for (let a = arrivals.pop(); a !== undefined; a = arrivals.pop()) {
    const t = a.t;
    sink.advance(t);
    cost.advance(t);
    const { task } = a;
    const s = task.schedule;
    if (a.scheduled && s.kind === "periodic") {
      schedule(t + Math.floor(s.periodUs * (1 + s.jitter * rng.uniform(-1, 1))), task, 0, true);
    }

    const target = a.target ?? task.target?.(rng);
    const req = newRequest(task, t, a.attempt, target);
    const c = cost.costOf(task.shape, req.apiserver, workload.objectScale, rng);
    const queue = queueFor(req.apiserver, FLOW_SCHEMA_LEVEL[task.flow]);
    const decision = queue.admit(t);

    if (decision.kind === "queue-full") {
      req.endUs = t + Math.floor(rng.uniform(150, 400));
      req.code = 429;
      req.rejectReason = "queue-full";
    } else if (decision.kind === "time-out") {
      req.endUs = decision.rejectUs + Math.floor(rng.uniform(100, 2000));
      req.waitUs = decision.rejectUs - t;
      req.code = 429;
      req.rejectReason = "time-out";
    } else {
      const start = decision.startUs;
      req.waitUs = start - t;
      req.etcdUs = c.etcdUs;
      req.serializeUs = c.serializeUs;
      req.cpuUs = c.cpuUs;
      req.mutatingWebhookUs = c.mutatingWebhookUs;
      req.validatingWebhookUs = c.validatingWebhookUs;
      req.webhookTimedOut = c.webhookTimedOut;
      req.dispatchUs = start;
      req.execEndUs = start + c.totalUs;
      queue.occupy(req.execEndUs);
      cost.execute(req.apiserver, start, req.execEndUs, c);
      if (s.kind === "watch") {
        req.startedUs = req.execEndUs;
        req.timeoutS = rng.int(s.minTimeoutS, s.maxTimeoutS);
        req.endUs = req.startedUs + watchLifetimeUs(task, req.timeoutS, cost.etcdSlowdown(), rng);
      } else {
        req.endUs = req.execEndUs;
        if (req.endUs - t > REQUEST_TIMEOUT_US) {
          req.endUs = t + REQUEST_TIMEOUT_US;
          req.code = 504;
        } else {
          req.code = outcomeCode(task, c.webhookTimedOut, rng);
        }
      }
    }
    if (task.shape.mutating && req.code < 300) revision += 1;
    sink.request(req);
    followUp(a, req);
  }

  function followUp(a: Arrival, req: SimRequest): void {
    const { task } = a;
    const failed = req.code === 429 || req.code === 504;
    if (task.schedule.kind === "watch") {
      const state = task.fragile ? fragileState(task.id) : undefined;
      if (failed) {
        schedule(req.endUs + backoffUs(a.attempt), task, a.attempt + 1, false);
        return;
      }
      if (state && task.fragile) {
        if (state.downSinceUs >= 0) sink.dnsDown(task.fragile.dnsInstance, state.downSinceUs, req.startedUs);
        state.downSinceUs = -1;
        if (req.endUs - req.startedUs < req.timeoutS * 1e6) {
          // Broken early: back off, relist, then watch again.
          state.breaks += 1;
          state.downSinceUs = req.endUs;
          const backoff = Math.min(30e6, 800_000 * 2 ** state.breaks) * rng.uniform(0.5, 1.5);
          schedule(req.endUs + Math.floor(backoff), task.fragile.relist, 0, false, undefined, task);
          return;
        }
        state.breaks = 0;
      }
      schedule(req.endUs + Math.floor(rng.uniform(1000, 100_000)), task, 0, true);
      return;
    }
    if (a.owner) {
      if (failed) schedule(req.endUs + backoffUs(a.attempt), task, a.attempt + 1, false, undefined, a.owner);
      else schedule(req.endUs + Math.floor(rng.uniform(1000, 20_000)), a.owner, 0, true);
      return;
    }
    if (failed && a.attempt < task.actor.retries) {
      schedule(req.endUs + backoffUs(a.attempt), task, a.attempt + 1, false, { namespace: req.namespace, name: req.name });
    }
    if (req.code === 201 && task.bindTask && req.name) {
      schedule(req.endUs + Math.floor(rng.uniform(5000, 80_000)), task.bindTask, 0, false, { namespace: req.namespace, name: req.name });
    }
  }

  function fragileState(id: number): FragileState {
    let state = fragile.get(id);
    if (!state) {
      state = { breaks: 0, downSinceUs: -1 };
      fragile.set(id, state);
    }
    return state;
  }

  /** Quick client retries: ~0.5-1 s, growing with each attempt. */
  function backoffUs(attempt: number): number {
    return Math.floor(1e6 * Math.min(attempt + 1, 8) * rng.uniform(0.5, 1));
  }
}

/** CoreDNS watches are cut short when etcd is slow (the apiserver drops slow watchers); others run to their timeout. */
function watchLifetimeUs(task: Task, timeoutS: number, etcdSlowdown: number, rng: Rng): number {
  const timeoutUs = timeoutS * 1e6;
  if (!task.fragile || etcdSlowdown < 1.5) return timeoutUs;
  const meanUs = 3600e6 / (etcdSlowdown - 1) ** 2;
  return Math.min(timeoutUs, Math.max(1e6, Math.floor(rng.exponential(meanUs))));
}

function outcomeCode(task: Task, webhookTimedOut: boolean, rng: Rng): number {
  if (webhookTimedOut) return 500;
  if (task.notFoundProb && rng.chance(task.notFoundProb)) return 404;
  if (task.conflictProb && rng.chance(task.conflictProb)) return 409;
  return task.shape.verb === "create" ? 201 : 200;
}
