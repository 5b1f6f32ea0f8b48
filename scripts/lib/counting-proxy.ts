// A pass-through HTTP proxy on loopback that counts the requests apiscope sends to Prometheus, by path.
// Benchmarks use it to measure upstream load; it forwards everything unchanged to the real Prometheus.
import { createServer, request as httpRequest, type Server } from "node:http";

export interface CountingProxy {
  url: string;
  counts(): Record<string, number>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string, port: number): Promise<CountingProxy> {
  const upstream = new URL(target);
  let counts: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://proxy").pathname;
    counts[pathname] = (counts[pathname] ?? 0) + 1;
    const forward = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      counts = {};
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
