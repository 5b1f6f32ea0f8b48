import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("CSV export", () => {
  it("quotes cells with commas, quotes and line breaks", () => {
    expect(toCsv(["client", "requests"], [["a,b", 1], ['say "hi"', 2], ["two\nlines", null]])).toBe(
      'client,requests\r\n"a,b",1\r\n"say ""hi""",2\r\n"two\nlines",\r\n',
    );
  });

  it("neutralises cells a spreadsheet would run as formulas, but keeps negative numbers", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const s of ["+1+1", "-2+3", "@SUM(A1)", "\tx"]) expect(csvCell(s).startsWith("'")).toBe(true);
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell(-3)).toBe("-3");
  });

  it("writes numbers as they are and leaves missing values empty", () => {
    expect(toCsv(["a", "b", "c"], [[0.125, Number.NaN, null]])).toBe("a,b,c\r\n0.125,,\r\n");
  });
});
