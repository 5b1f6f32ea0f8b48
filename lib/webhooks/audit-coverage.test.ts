import { describe, expect, it } from "vitest";
import { latencyAnnotationCoverage } from "./audit-coverage";
import { latencyCoverageNote } from "./audit-coverage";

describe("webhook latency from audit annotations", () => {
  it("calls missing annotations on slow requests unknown, never zero", () => {
    const coverage = latencyAnnotationCoverage(false, 42);
    expect(coverage).toBe("not-written");
    const note = latencyCoverageNote({ latencyAnnotations: coverage, slowRequests: 42, waitedRequests: 0 });
    expect(note.tone).toBe("notice");
    expect(note.text).toContain("42 requests took longer than 500 ms");
    expect(note.text).toContain("does not write them");
    expect(note.text).toContain("unknown");
  });

  it("expects none when nothing was slow, and counts them when they are written", () => {
    expect(latencyAnnotationCoverage(false, 0)).toBe("none-slow");
    expect(latencyCoverageNote({ latencyAnnotations: "none-slow", slowRequests: 0, waitedRequests: 0 }).tone).toBe("info");
    // One annotated request is enough to know the server writes them; slow requests need no count then.
    expect(latencyAnnotationCoverage(true, null)).toBe("recorded");
    expect(latencyCoverageNote({ latencyAnnotations: "recorded", slowRequests: null, waitedRequests: 1 }).text).toMatch(/^1 request recorded/);
  });
});
