import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPrometheusClient } from "./client";

const config = (url: string) => ({ url, headers: {}, timeoutSeconds: 30 });
const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));

describe("reachability probe", () => {
  const open: Socket[] = [];
  let server: Server | undefined;
  afterEach(() => {
    for (const s of open) s.destroy();
    server?.close();
  });

  it("gives up on a Prometheus that accepts the connection but never answers, within its bound", async () => {
    // A stuck process: the socket opens, nothing comes back.
    server = createServer((socket) => void open.push(socket));
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    await expect(createPrometheusClient(config(url), { probeTimeoutMs: 300 }).probe()).rejects.toMatchObject({
      kind: "timeout",
      message: `Prometheus at ${url} did not answer within 0.3s`,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("says at once when nothing listens", async () => {
    server = createServer();
    const port = await listen(server);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(createPrometheusClient(config(`http://127.0.0.1:${port}`)).probe()).rejects.toMatchObject({
      kind: "unreachable",
      message: `Prometheus unreachable at http://127.0.0.1:${port} (connection refused)`,
    });
  });
});
