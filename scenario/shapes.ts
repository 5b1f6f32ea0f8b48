// Request shapes: what a request asks for, independent of who asks.

export type AuditVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";
export type Scope = "cluster" | "namespace" | "resource";
export type EtcdOperation = "get" | "list" | "create" | "update" | "delete";
export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE";

export interface Shape {
  /** Identity of the apiserver_request_* series this shape feeds. */
  key: string;
  verb: AuditVerb;
  metricVerb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: Scope;
  mutating: boolean;
  longRunning: boolean;
  /** etcd call made by the request, or null when served from the watch cache. */
  etcd: { operation: EtcdOperation; type: string } | null;
  /** Objects read and serialised (lists, and watches that start with the full state). */
  objects: number;
  admissionOperation: AdmissionOperation | null;
  /** Pod writes pass the sidecar-injector (CREATE) and pod-policy (CREATE/UPDATE) webhooks. */
  podWebhooks: boolean;
}

export interface ShapeSpec {
  verb: AuditVerb;
  group?: string;
  version?: string;
  resource: string;
  subresource?: string;
  scope: Scope;
  /** Server-side apply: an audit "patch" reported as metric verb APPLY. */
  apply?: boolean;
  /** Objects returned by a list/watch; ignored for single-object requests. */
  objects?: number;
  /** A list without resourceVersion=0 is served from etcd (a consistent read). */
  fromEtcd?: boolean;
}

const METRIC_VERB: Record<AuditVerb, string> = {
  get: "GET",
  list: "LIST",
  watch: "WATCH",
  create: "POST",
  update: "PUT",
  patch: "PATCH",
  delete: "DELETE",
};

/** etcd_request_duration_seconds "type": the resource, qualified by group outside the core group. */
export function storageType(group: string, resource: string): string {
  return group === "" ? resource : `${resource}.${group}`;
}

function etcdOperation(spec: ShapeSpec): EtcdOperation | null {
  switch (spec.verb) {
    case "get":
      return "get";
    case "list":
      return spec.fromEtcd ? "list" : null;
    case "watch":
      return null;
    case "create":
      // pods/binding is a create on a subresource that updates the pod.
      return spec.subresource ? "update" : "create";
    case "update":
    case "patch":
      return "update";
    case "delete":
      return "delete";
  }
}

function admissionOf(verb: AuditVerb): AdmissionOperation | null {
  if (verb === "create") return "CREATE";
  if (verb === "update" || verb === "patch") return "UPDATE";
  if (verb === "delete") return "DELETE";
  return null;
}

export function defineShape(spec: ShapeSpec): Shape {
  const group = spec.group ?? "";
  const version = spec.version ?? "v1";
  const subresource = spec.subresource ?? "";
  const metricVerb = spec.apply ? "APPLY" : METRIC_VERB[spec.verb];
  const operation = etcdOperation(spec);
  const isCollection = spec.verb === "list" || spec.verb === "watch";
  const admissionOperation = admissionOf(spec.verb);
  return {
    key: [metricVerb, group, version, spec.resource, subresource, spec.scope].join("|"),
    verb: spec.verb,
    metricVerb,
    group,
    version,
    resource: spec.resource,
    subresource,
    scope: spec.scope,
    mutating: admissionOperation !== null,
    longRunning: spec.verb === "watch",
    etcd: operation ? { operation, type: storageType(group, spec.resource) } : null,
    objects: isCollection ? (spec.objects ?? 0) : 1,
    admissionOperation,
    podWebhooks:
      group === "" &&
      spec.resource === "pods" &&
      subresource === "" &&
      (admissionOperation === "CREATE" || admissionOperation === "UPDATE"),
  };
}

/** URL path prefix of a group/version ("/api/v1" or "/apis/apps/v1"). */
export function apiPrefix(group: string, version: string): string {
  return group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * Request path of a shape for an object. Collections (list, watch, create)
 * have no name in the path; a list/watch name comes from a metadata.name
 * fieldSelector and only shows in the objectRef.
 */
export function pathOf(shape: Shape, namespace?: string, name?: string): string {
  let path = apiPrefix(shape.group, shape.version);
  if (namespace) path += `/namespaces/${namespace}`;
  path += `/${shape.resource}`;
  const collection = shape.verb === "list" || shape.verb === "watch" || (shape.verb === "create" && !shape.subresource);
  if (name && !collection) path += `/${name}`;
  if (shape.subresource) path += `/${shape.subresource}`;
  return path;
}
