import { describe, expect, it } from "vitest";
import { parseAuditRequest } from "./request";

const NOW = Date.UTC(2024, 11, 11, 16, 0, 0);
const parse = (query: string) => parseAuditRequest(new URLSearchParams(query), NOW);

describe("the audit API's time window", () => {
  it("takes epoch milliseconds, 0 included, as its message says", () => {
    expect(parse("from=0&to=3600000")).toMatchObject({ window: { fromMs: 0, toMs: 3_600_000 } });
    expect(parse("from=5&to=60000")).toMatchObject({ window: { fromMs: 5, toMs: 60_000 } });
    expect(parse(`from=${NOW - 3600_000}&to=${NOW}`)).toMatchObject({ window: { fromMs: NOW - 3600_000, toMs: NOW } });
    expect(parse("from=now-1h&to=now")).toMatchObject({ window: { fromMs: NOW - 3600_000, toMs: NOW } });
  });
  it("refuses what is not a time, and says what it takes", () => {
    for (const bad of ["from=-1&to=now", "from=1.5&to=now", "from=yesterday&to=now", "from=&to=now", "from=0x10&to=now"]) {
      expect(parse(bad), bad).toMatch(/epoch milliseconds/);
    }
    expect(parse("from=0&to=now")).toMatch(/at most 31 days/);
  });
});
