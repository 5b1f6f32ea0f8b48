/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // DuckDB is a native module: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ["@duckdb/node-api"],
  // The browser only ever talks to apiscope; these headers keep audit-derived strings from becoming script.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      {
        // JSON, metrics and static files run nothing; pages get their nonce policy from proxy.ts.
        source: "/:path(api/.*|metrics|_next/static/.*|favicon.ico|icon.*|manifest.webmanifest)",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
