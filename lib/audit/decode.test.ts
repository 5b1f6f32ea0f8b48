import { describe, expect, it } from "vitest";
import { decodeDocument, decodeLine, MAX_LINE_BYTES, type Decoded } from "./decode";

const EVENT = {
  kind: "Event",
  apiVersion: "audit.k8s.io/v1",
  auditID: "a-1",
  stage: "ResponseComplete",
  requestURI: "/api/v1/pods?limit=500",
  verb: "list",
  user: { username: "u", groups: ["g"] },
  sourceIPs: ["10.0.0.1"],
  userAgent: "kubectl/v1.31.0",
  objectRef: { resource: "pods", apiVersion: "v1" },
  responseStatus: { metadata: {}, code: 200 },
  requestReceivedTimestamp: "2024-12-11T15:04:05.000001Z",
  stageTimestamp: "2024-12-11T15:04:05.100001Z",
  requestObject: { huge: "ignored" },
};

const events = (ds: Decoded[]) => ds.filter((d): d is Extract<Decoded, { event: unknown }> => "event" in d).map((d) => d.event);
const skips = (ds: Decoded[]) => ds.flatMap((d) => ("skip" in d ? [d.skip] : []));

describe("decoding audit input", () => {
  it("keeps only the fields apiscope reads, with their line", () => {
    const [d] = [...decodeLine(JSON.stringify(EVENT), 7)];
    expect(d).toEqual({
      line: 7,
      event: {
        apiVersion: "audit.k8s.io/v1",
        auditID: "a-1",
        stage: "ResponseComplete",
        requestURI: "/api/v1/pods?limit=500",
        verb: "list",
        user: { username: "u", groups: ["g"] },
        sourceIPs: ["10.0.0.1"],
        userAgent: "kubectl/v1.31.0",
        objectRef: { resource: "pods", apiVersion: "v1" },
        responseStatus: { code: 200 },
        requestReceivedTimestamp: "2024-12-11T15:04:05.000001Z",
        stageTimestamp: "2024-12-11T15:04:05.100001Z",
      },
    });
  });
  it("expands an EventList, whose items inherit its apiVersion", () => {
    const { kind: _k, apiVersion: _v, ...item } = EVENT;
    const body = { kind: "EventList", apiVersion: "audit.k8s.io/v1beta1", metadata: {}, items: [item, { ...item, auditID: "a-2" }] };
    const out = events([...decodeDocument(JSON.stringify(body))]);
    expect(out.map((e) => [e.auditID, e.apiVersion])).toEqual([["a-1", "audit.k8s.io/v1beta1"], ["a-2", "audit.k8s.io/v1beta1"]]);
  });
  it("unwraps AKS diagnostic records whose properties.log is a string or an object", () => {
    const records = { records: [{ category: "kube-audit", properties: { log: JSON.stringify(EVENT) } }, { category: "kube-audit-admin", properties: { log: { ...EVENT, auditID: "b" } } }] };
    expect(events([...decodeLine(JSON.stringify(records), 1)]).map((e) => e.auditID)).toEqual(["a-1", "b"]);
    const broken = { properties: { log: '{"auditID": "x", ' } };
    expect(skips([...decodeLine(JSON.stringify(broken), 3)])).toEqual([{ reason: "invalid_json", detail: expect.stringMatching(/^properties.log: /), line: 3 }]);
  });
  it("reads a pretty-printed event with a UTF-8 BOM, and JSON arrays of events", () => {
    expect(events([...decodeDocument(`\uFEFF${JSON.stringify(EVENT, null, 2)}`)])).toHaveLength(1);
    expect(events([...decodeDocument(JSON.stringify([EVENT, EVENT]))])).toHaveLength(2);
    expect(events([...decodeLine(`\uFEFF${JSON.stringify(EVENT)}`, 1)])).toHaveLength(1);
  });
  it("says why input is skipped", () => {
    expect(skips([...decodeLine('{"auditID": "x", "verb": "li', 4)])).toEqual([{ reason: "invalid_json", detail: expect.any(String), line: 4 }]);
    expect(skips([...decodeLine("42", 5)])).toEqual([{ reason: "not_an_object", detail: "42", line: 5 }]);
    expect(skips([...decodeLine(JSON.stringify({ protoPayload: { "@type": "type.googleapis.com/google.cloud.audit.AuditLog" } }), 6)])[0]?.reason).toBe("unsupported_format");
    expect(skips([...decodeLine(JSON.stringify({ ...EVENT, objectRef: "pods" }), 8)])).toEqual([{ reason: "wrong_type", detail: "objectRef", line: 8 }]);
    expect(skips([...decodeLine(JSON.stringify({ ...EVENT, sourceIPs: [{ ip: 1 }] }), 9)])).toEqual([{ reason: "wrong_type", detail: "sourceIPs", line: 9 }]);
    expect(skips([...decodeLine(JSON.stringify({ ...EVENT, responseStatus: { code: 2.5 } }), 10)])).toEqual([{ reason: "wrong_type", detail: "responseStatus.code", line: 10 }]);
    expect(skips([...decodeLine(`{"x":"${"a".repeat(MAX_LINE_BYTES)}"}`, 11)])).toEqual([{ reason: "line_too_large", detail: expect.stringMatching(/bytes/), line: 11 }]);
    expect([...decodeLine("   ", 12)]).toEqual([]);
  });
  it("counts an empty list as input of its own, so that no line disappears uncounted", () => {
    expect(skips([...decodeLine("[]", 3)])).toEqual([{ reason: "empty_list", detail: "[]", line: 3 }]);
    expect(skips([...decodeLine(' [ ] ', 4)])).toEqual([{ reason: "empty_list", detail: "[]", line: 4 }]);
    expect(skips([...decodeLine('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}', 5)])).toEqual([{ reason: "empty_list", detail: "items: []", line: 5 }]);
    expect(skips([...decodeLine('{"records":[]}', 6)])).toEqual([{ reason: "empty_list", detail: "records: []", line: 6 }]);
    const nested = [...decodeLine(JSON.stringify([[], EVENT]), 7)];
    expect(events(nested)).toHaveLength(1);
    expect(skips(nested)).toEqual([{ reason: "empty_list", detail: "[]", line: 7 }]);
    expect(skips([...decodeDocument("[]")])).toEqual([{ reason: "empty_list", detail: "[]", line: undefined }]);
    // A blank line is not a line of input.
    expect([...decodeLine("", 8)]).toEqual([]);
  });
  it("treats scalars the way DuckDB reads them (as text) and null as absent", () => {
    const [d] = [...decodeLine(JSON.stringify({ ...EVENT, verb: 5, userAgent: null }), 1)];
    expect(d && "event" in d && d.event.verb).toBe("5");
    expect(d && "event" in d && "userAgent" in d.event).toBe(false);
    const [e] = [...decodeLine(JSON.stringify({ kind: 0 }), 1)];
    expect(e && "event" in e && e.event).toEqual({});
  });
});
