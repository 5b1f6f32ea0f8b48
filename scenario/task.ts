// Tasks are the recurring things clients do; each execution is a SimRequest.

import type { Actor } from "./actors";
import type { FlowSchemaName } from "./cluster";
import { goDuration } from "./format";
import type { Rng } from "./rng";
import type { Shape } from "./shapes";

export interface Target {
  namespace?: string;
  name?: string;
}

export type Schedule =
  /** Repeats every period (+/- jitter) from firstUs. */
  | { kind: "periodic"; firstUs: number; periodUs: number; jitter: number }
  /** A chain of watches: each ends after its timeout and is immediately re-opened. */
  | {
      kind: "watch";
      firstUs: number;
      minTimeoutS: number;
      maxTimeoutS: number;
      /** The first watch was opened before the window started. */
      preexisting: boolean;
    }
  /** Runs once at atUs (retried on failure). */
  | { kind: "once"; atUs: number }
  /** Only runs when another request triggers it (bindings after pod creates, relists after broken watches). */
  | { kind: "triggered" };

export interface Task {
  id: number;
  actor: Actor;
  shape: Shape;
  flow: FlowSchemaName;
  /** Fixed objectRef namespace/name (when `target` is absent). */
  namespace?: string;
  name?: string;
  /** Picks the object of each request (a random configmap, a new pod name, ...). */
  target?: (rng: Rng) => Target;
  /** Query string; evaluated only when audit events are serialised. */
  query?: (req: SimRequest) => string;
  schedule: Schedule;
  notFoundProb?: number;
  conflictProb?: number;
  /** A successful pod create triggers this binding task (the scheduler). */
  bindTask?: Task;
  /** Successful creates/deletes change the stored pod count. */
  podDelta?: 1 | -1;
  /** Watch broken early under apiserver pressure; the client relists and reports DNS downtime. */
  fragile?: { relist: Task; dnsInstance: number };
  /** Generated pod names omit objectRef.name on create (generateName). */
  generateName?: boolean;
}

export interface SimRequest {
  seq: number;
  task: Task;
  apiserver: number;
  attempt: number;
  namespace?: string;
  name?: string;
  arrivalUs: number;
  /** Execution start (after the APF queue); equals endUs for rejected requests. */
  dispatchUs: number;
  /** When the request releases its seat (watches: end of initialisation). */
  execEndUs: number;
  /** Stage time of ResponseStarted for watches that started streaming; -1 otherwise. */
  startedUs: number;
  endUs: number;
  code: number;
  rejectReason: "queue-full" | "time-out" | null;
  waitUs: number;
  etcdUs: number;
  serializeUs: number;
  /** CPU consumed by the apiserver for this request. */
  cpuUs: number;
  mutatingWebhookUs: number;
  validatingWebhookUs: number;
  webhookTimedOut: boolean;
  /** resourceVersion a watch resumes from. */
  rv: number;
  /** Watch timeoutSeconds (client-chosen or server-chosen). */
  timeoutS: number;
}

export function fixedQuery(query: string): () => string {
  return () => query;
}

interface WatchQueryOptions {
  fieldSelector?: string;
  labelSelector?: string;
}

/** client-go reflector watch: bookmarks, resume from a resourceVersion, client-side timeout. */
export function reflectorWatchQuery(options: WatchQueryOptions = {}): (req: SimRequest) => string {
  const selectors =
    (options.fieldSelector ? `&fieldSelector=${queryEscape(options.fieldSelector)}` : "") +
    (options.labelSelector ? `&labelSelector=${queryEscape(options.labelSelector)}` : "");
  return (req) =>
    `allowWatchBookmarks=true${selectors}&resourceVersion=${req.rv}` +
    `&timeout=${goDuration(req.timeoutS * 1e9)}&timeoutSeconds=${req.timeoutS}&watch=true`;
}

/** Go's url.QueryEscape: everything but letters, digits and -_.~ is percent-encoded. */
export function queryEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
