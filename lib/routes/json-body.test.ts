import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readJsonBody } from "./json-body";

const schema = z.object({ expr: z.string().min(1), step: z.number().int() });
const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request("http://x/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("a JSON request body", () => {
  it("is read and checked", async () => {
    expect(await readJsonBody(post(JSON.stringify({ expr: "up", step: 30 })), schema, 1000)).toEqual({ ok: true, value: { expr: "up", step: 30 } });
  });

  it("is refused with what is wrong, where", async () => {
    const bad = await readJsonBody(post(JSON.stringify({ expr: "", step: 1.5 })), schema, 1000);
    expect(bad.ok).toBe(false);
    const res = (bad as { response: Response }).response;
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^expr: .*; step: /);
    const notJson = (await readJsonBody(post("{nope"), schema, 1000)) as { response: Response };
    expect((await notJson.response.json()).error).toBe("the body is not JSON");
  });

  it("is read no further than its limit, whatever its declared length", async () => {
    const declared = (await readJsonBody(post("{}", { "content-length": "5000" }), schema, 1000)) as { response: Response };
    expect(declared.response.status).toBe(413);
    // A stream without a declared length, longer than the limit: cut off, never buffered whole.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const streamed = (await readJsonBody(post(endless), schema, 1000)) as { response: Response };
    expect(streamed.response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});
