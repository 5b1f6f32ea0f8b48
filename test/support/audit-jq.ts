// An independent model of what the audit pipeline should store, written in jq (Debian's jq 1.6) straight from
// the audit Event format and the rules apiscope documents, so tests compare the store against something that
// shares no code with it:
//  - envelopes are unwrapped: JSON arrays, EventLists, AKS diagnostic exports ({"records": […]}) and records whose
//    properties.log is a JSON object or a JSON string; GKE Cloud Audit Log records (protoPayload) are not read;
//  - an event needs auditID, stage, verb and a stage timestamp;
//  - one request per auditID: its first ResponseComplete (or Panic), else the last stage seen (an open WATCH);
//  - the client is the user agent's product (before the first "/"), plus client-go's controller suffix after
//    "kubernetes/<commit>/" (of a service-account suffix "system:serviceaccount:<ns>:<name>", the name: the
//    controller-manager's --use-service-account-credentials); no user agent is "(none)";
//  - the resource is `resource[.group][/subresource]`, or the request path of a non-resource request.

export const JQ_AUDIT_LIB = String.raw`
def raw:
  if type == "array" then .[] | raw
  elif type != "object" then {__skip: "not_an_object"}
  elif (.items | type) == "array" and (.kind == "EventList" or (.apiVersion | type) == "string") then .items[] | raw
  elif (.records | type) == "array" then .records[] | raw
  elif (.properties | type) == "object" and (.properties | has("log")) then .properties.log | (if type == "string" then fromjson else . end) | raw
  elif has("protoPayload") then {__skip: "unsupported_format"}
  elif (.auditID // "") == "" or (.stage // "") == "" or (.verb // "") == "" or (.stageTimestamp // .timestamp) == null then {__skip: "missing_field"}
  else . end;
def unwrap: raw | select(has("__skip") | not);
def final: .stage == "ResponseComplete" or .stage == "Panic";
def client:
  (.userAgent // "") as $ua
  | ((($ua | split("/"))[0] // "") + (($ua | capture("\\) kubernetes/[^/ ]+/(?<c>.+)$") | "/" + (.c | sub("^system:serviceaccount:.*:"; ""))) // "")) as $name
  | if $name == "" then "(none)" else $name end;
def resource_name:
  if (.objectRef.resource // null) == null then ((.requestURI // "") | split("?")[0])
  else .objectRef.resource
    + (if (.objectRef.apiGroup // "") == "" then "" else "." + .objectRef.apiGroup end)
    + (if (.objectRef.subresource // "") == "" then "" else "/" + .objectRef.subresource end)
  end;
def requests:
  [.[] | unwrap] | group_by(.auditID) | map((map(select(final)) | first) // last);
`;

/**
 * Input: every top-level JSON value of every file (jq -s). Output: per UTC day of the stage timestamp, the number
 * of requests per [client, verb, resource].
 */
export const JQ_COUNTS_BY_DAY = `${JQ_AUDIT_LIB}
requests
| map({day: ((.stageTimestamp // .timestamp)[0:10]), key: ([client, .verb, resource_name] | join(" | "))})
| group_by(.day)
| map({key: .[0].day, value: (group_by(.key) | map({key: .[0].key, value: length}) | from_entries)})
| from_entries`;

/**
 * Input: [{source, values}] in ingest order (values: the file's top-level JSON values). Output: per source, what
 * its ingest accounting should say: requests accepted, requests left open (only early stages seen) and skips by
 * reason, an auditID completed by an earlier source or line being a duplicate.
 */
export const JQ_STATUS_BY_SOURCE = `${JQ_AUDIT_LIB}
reduce .[] as $f ({done: {}, out: []};
  [$f.values[] | raw] as $ev
  | ($ev | map(select(has("__skip"))) | group_by(.__skip) | map({key: .[0].__skip, value: length}) | from_entries) as $skips
  | ($ev | map(select(has("__skip") | not))) as $ok
  | (reduce ($ok | map(select(final)))[] as $e ({done: .done, accepted: 0, duplicate: 0};
      if .done[$e.auditID] then .duplicate += 1 else .accepted += 1 | .done[$e.auditID] = true end)) as $r
  | ($ok | map(select(final | not) | .auditID) | unique | map(select($r.done[.] | not)) | length) as $open
  | .done = $r.done
  | .out += [{source: $f.source, accepted: $r.accepted, open: $open,
      skipped: ($skips + (if $r.duplicate > 0 then {duplicate: $r.duplicate} else {} end))}])
| .out`;
