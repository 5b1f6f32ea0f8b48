// Serialises a simulated request as an audit.k8s.io/v1 Event at level
// Metadata, as kube-apiserver writes it with --audit-log-path.

import { goDuration } from "./format";
import { HEALTHY_WEBHOOK, SLOW_WEBHOOK } from "./metrics-recorder";
import { mix32, uuidFrom } from "./rng";
import { pathOf, type Shape } from "./shapes";
import type { SimRequest } from "./task";

/** Requests slower than this carry apiserver.latency.k8s.io/* annotations. */
const LATENCY_ANNOTATION_THRESHOLD_US = 500_000;

const MUTATION_ANNOTATION = JSON.stringify(
  JSON.stringify({ configuration: "sidecar-injector", webhook: HEALTHY_WEBHOOK, mutated: true }),
);

export type Stage = "ResponseStarted" | "ResponseComplete";

export interface AuditContext {
  seed: number;
  /** Unix microseconds of simulation time 0. */
  originUnixUs: number;
  formatReceived: (unixUs: number) => string;
  formatStage: (unixUs: number) => string;
}

export function requestURI(req: SimRequest): string {
  const { task } = req;
  const path = pathOf(task.shape, req.namespace, req.name);
  const query = task.query ? task.query(req) : "";
  return query === "" ? path : `${path}?${query}`;
}

const objectRefCache = new WeakMap<Shape, Map<string, string>>();

/** objectRef JSON; cached because most requests of a shape touch a handful of objects. */
function objectRef(shape: Shape, req: SimRequest): string {
  let byObject = objectRefCache.get(shape);
  if (!byObject) {
    byObject = new Map();
    objectRefCache.set(shape, byObject);
  }
  const generated = shape.verb === "create" && req.task.generateName === true;
  const key = `${req.namespace ?? ""}/${generated ? "" : (req.name ?? "")}`;
  let json = byObject.get(key);
  if (json === undefined) {
    json = buildObjectRef(shape, req);
    if (byObject.size < 5000) byObject.set(key, json);
  }
  return json;
}

function buildObjectRef(shape: Shape, req: SimRequest): string {
  const ref: Record<string, string> = { resource: shape.resource };
  if (req.namespace) ref.namespace = req.namespace;
  if (req.name && !(shape.verb === "create" && req.task.generateName && !shape.subresource)) ref.name = req.name;
  if (shape.group) ref.apiGroup = shape.group;
  ref.apiVersion = shape.version;
  if (shape.subresource) ref.subresource = shape.subresource;
  return JSON.stringify(ref);
}

function responseStatus(req: SimRequest, stage: Stage): string {
  if (stage === "ResponseStarted" || req.code < 300) return `{"metadata":{},"code":${req.code}}`;
  const shape = req.task.shape;
  const qualified = shape.group ? `${shape.resource}.${shape.group}` : shape.resource;
  const name = req.name ?? "";
  const failure = (message: string, reason: string, details: string) =>
    `{"metadata":{},"status":"Failure","message":${JSON.stringify(message)},"reason":"${reason}","details":${details},"code":${req.code}}`;
  const details: Record<string, string> = { name };
  if (shape.group) details.group = shape.group;
  details.kind = shape.resource;
  const objectDetails = JSON.stringify(details);
  switch (req.code) {
    case 404:
      return failure(`${qualified} "${name}" not found`, "NotFound", objectDetails);
    case 409:
      return failure(
        `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        "Conflict",
        objectDetails,
      );
    case 429:
      return failure("Too many requests, please try again later.", "TooManyRequests", `{"retryAfterSeconds":1}`);
    case 500:
      return failure(
        `Internal error occurred: failed calling webhook "${SLOW_WEBHOOK}": failed to call webhook: Post "https://pod-policy-webhook.guard.svc:443/validate?timeout=10s": context deadline exceeded`,
        "InternalError",
        "{}",
      );
    case 504:
      return failure("Timeout: request did not complete within the allotted timeout", "Timeout", "{}");
    default:
      return `{"metadata":{},"code":${req.code}}`;
  }
}

/** Latency breakdown annotations (sorted keys, as Go marshals maps). */
function latencyAnnotations(req: SimRequest): string {
  const totalUs = req.endUs - req.arrivalUs;
  if (req.task.shape.longRunning || totalUs <= LATENCY_ANNOTATION_THRESHOLD_US) return "";
  // Sub-microsecond digits derived from the request number keep values realistic and deterministic.
  const ns = (us: number, salt: number) => goDuration(us * 1000 + (mix32(req.seq * 8 + salt) % 1000));
  const parts: string[] = [];
  const add = (key: string, us: number, salt: number) => {
    if (us > 0) parts.push(`"apiserver.latency.k8s.io/${key}":"${ns(us, salt)}"`);
  };
  add("apf-queue-wait", req.waitUs, 1);
  add("etcd", req.etcdUs, 2);
  add("mutating-webhook", req.mutatingWebhookUs, 3);
  add("serialize-response-object", req.task.shape.objects > 0 ? req.serializeUs : 0, 4);
  add("total", totalUs, 5);
  add("validating-webhook", req.validatingWebhookUs, 6);
  return parts.length > 0 ? `${parts.join(",")},` : "";
}

export function serializeAuditEvent(req: SimRequest, stage: Stage, ctx: AuditContext): string {
  const { task } = req;
  const { actor, shape } = task;
  const stageUs = stage === "ResponseStarted" ? req.startedUs : req.endUs;
  const mutated =
    stage === "ResponseComplete" &&
    shape.podWebhooks &&
    shape.admissionOperation === "CREATE" &&
    req.mutatingWebhookUs > 0;
  const annotations =
    (stage === "ResponseComplete" ? latencyAnnotations(req) : "") +
    actor.json.annotations +
    (mutated ? `,"mutation.webhook.admission.k8s.io/round_0_index_0":${MUTATION_ANNOTATION}` : "");
  return (
    `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${uuidFrom(ctx.seed, req.seq)}",` +
    `"stage":"${stage}","requestURI":${JSON.stringify(requestURI(req))},"verb":"${shape.verb}",` +
    `"user":${actor.json.user},"sourceIPs":${actor.json.sourceIPs},"userAgent":${actor.json.userAgent},` +
    `"objectRef":${objectRef(shape, req)},"responseStatus":${responseStatus(req, stage)},` +
    `"requestReceivedTimestamp":"${ctx.formatReceived(ctx.originUnixUs + req.arrivalUs)}",` +
    `"stageTimestamp":"${ctx.formatStage(ctx.originUnixUs + stageUs)}",` +
    `"annotations":{${annotations}}}`
  );
}
