// The one place environment variables are read. Invalid settings stop the server at start with a message
// that names the variable and says how to fix it; secrets are kept out of every message.
import { readFileSync } from "node:fs";
import { z } from "zod";
import path from "node:path";
import { parseDuration } from "./duration";
import { HttpError } from "./http";
import { parseByteSize } from "./size";
import { parseMatchers, formatMatchers } from "./promql";

export interface Config {
  prometheus: {
    url: string; // no credentials inside
    bearerToken?: string;
    basicAuth?: { username: string; password: string };
    headers: Record<string, string>;
    timeoutSeconds: number;
  };
  listen: { host: string; port: number };
  /** Label matchers (PromQL, without braces) that select the kube-apiserver series. */
  apiserverSelector: string;
  scrapeIntervalSeconds: number;
  cacheTtlSeconds: number;
  inflightLimits: { readOnly: number; mutating: number };
  audit: AuditConfig;
}

export interface AuditConfig {
  /** Where the store (DuckDB database and Parquet segments) lives. */
  dataDir: string;
  /** Audit log files or directories to follow (as written by --audit-log-path). */
  files: string[];
  /** The audit webhook: closed until a token is set (or unauthenticated access is allowed explicitly). */
  webhook: { mode: "token"; token: string } | { mode: "unauthenticated" } | { mode: "disabled" };
  /** Age limit of what is followed from files or received by the webhook. */
  retentionSeconds: number;
  /** Uploads are deleted this long after they were uploaded; null keeps them until deleted by hand. */
  uploadRetentionSeconds: number | null;
  maxBytes: number;
  /** DuckDB's memory_limit, in bytes. */
  memoryLimitBytes: number;
  uploadMaxBytes: number;
  /** Per-client metrics on /metrics get their own `client` label for at most this many clients. */
  metricsMaxClients: number;
}

export class ConfigError extends HttpError {
  constructor(readonly problems: string[]) {
    super("config", `Invalid apiscope configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`, 500);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const HEADER_NAME_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const FORBIDDEN_HEADERS = new Set(["host", "content-length", "connection", "transfer-encoding"]);

const durationSetting = (name: string, fallback: string, min: number, max: number) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const seconds = parseDuration(text);
      if (seconds === null || seconds < min || seconds > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a duration between ${min}s and ${max}s such as "${fallback}" (got "${text}")` });
        return z.NEVER;
      }
      return seconds;
    });

/** A duration, or "off" (the default) for none. */
const optionalDurationSetting = (name: string, example: string, min: number, max: number) =>
  z
    .string()
    .default("off")
    .transform((text, ctx) => {
      if (text === "off") return null;
      const seconds = parseDuration(text);
      if (seconds === null || seconds < min || seconds > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be "off" or a duration between ${min}s and ${max}s such as "${example}" (got "${text}")` });
        return z.NEVER;
      }
      return seconds;
    });

const intSetting = (name: string, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((text, ctx) => {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1) {
        ctx.addIssue({ code: "custom", message: `${name} must be a positive whole number (got "${text}")` });
        return z.NEVER;
      }
      return n;
    });

const sizeSetting = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const bytes = parseByteSize(text);
      if (bytes === null) {
        ctx.addIssue({ code: "custom", message: `${name} must be a size such as "${fallback}" (got "${text}")` });
        return z.NEVER;
      }
      return bytes;
    });

const envSchema = z.object({
  APISCOPE_PROMETHEUS_URL: z
    .string({ error: "APISCOPE_PROMETHEUS_URL is not set: give the base URL of your Prometheus, e.g. http://prometheus.monitoring:9090" })
    .transform((text, ctx) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "APISCOPE_PROMETHEUS_URL is not a URL: use the form http://host:9090 or https://host/prefix" });
        return z.NEVER;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: "APISCOPE_PROMETHEUS_URL must start with http:// or https://" });
        return z.NEVER;
      }
      if (url.username || url.password) {
        ctx.addIssue({ code: "custom", message: "APISCOPE_PROMETHEUS_URL must not contain credentials: use APISCOPE_PROMETHEUS_USERNAME and APISCOPE_PROMETHEUS_PASSWORD" });
        return z.NEVER;
      }
      if (url.search || url.hash) {
        ctx.addIssue({ code: "custom", message: "APISCOPE_PROMETHEUS_URL must not have a query string or fragment" });
        return z.NEVER;
      }
      return url.toString().replace(/\/+$/, "");
    }),
  APISCOPE_QUERY_TIMEOUT: durationSetting("APISCOPE_QUERY_TIMEOUT", "30s", 1, 300),
  APISCOPE_LISTEN: z
    .string()
    .default("127.0.0.1:3000")
    .transform((text, ctx) => {
      const listen = parseListen(text);
      if (!listen) {
        ctx.addIssue({ code: "custom", message: `APISCOPE_LISTEN must be host:port such as 127.0.0.1:3000 or 0.0.0.0:8080 (got "${text}")` });
        return z.NEVER;
      }
      return listen;
    }),
  APISCOPE_APISERVER_SELECTOR: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const parsed = parseMatchers(text);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: `APISCOPE_APISERVER_SELECTOR must be PromQL label matchers such as job="apiserver" (${parsed})` });
        return z.NEVER;
      }
      return formatMatchers(parsed);
    }),
  APISCOPE_SCRAPE_INTERVAL: durationSetting("APISCOPE_SCRAPE_INTERVAL", "30s", 1, 600),
  APISCOPE_CACHE_TTL: durationSetting("APISCOPE_CACHE_TTL", "15s", 1, 600),
  APISCOPE_MAX_REQUESTS_INFLIGHT: intSetting("APISCOPE_MAX_REQUESTS_INFLIGHT", 400),
  APISCOPE_MAX_MUTATING_REQUESTS_INFLIGHT: intSetting("APISCOPE_MAX_MUTATING_REQUESTS_INFLIGHT", 200),
  APISCOPE_DATA_DIR: z.string().min(1).default(".data/store"),
  APISCOPE_AUDIT_FILES: z.string().default(""),
  APISCOPE_AUDIT_RETENTION: durationSetting("APISCOPE_AUDIT_RETENTION", "7d", 3600, 10 * 365 * 86400),
  APISCOPE_AUDIT_UPLOAD_RETENTION: optionalDurationSetting("APISCOPE_AUDIT_UPLOAD_RETENTION", "90d", 3600, 10 * 365 * 86400),
  APISCOPE_AUDIT_MAX_BYTES: sizeSetting("APISCOPE_AUDIT_MAX_BYTES", "20GB"),
  APISCOPE_DUCKDB_MEMORY_LIMIT: sizeSetting("APISCOPE_DUCKDB_MEMORY_LIMIT", "1GB"),
  APISCOPE_UPLOAD_MAX_BYTES: sizeSetting("APISCOPE_UPLOAD_MAX_BYTES", "2GB"),
  APISCOPE_METRICS_MAX_CLIENTS: intSetting("APISCOPE_METRICS_MAX_CLIENTS", 50),
});

export function parseListen(text: string): { host: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!, port } : null;
}

/** Reads a secret from VAR or from the file named by VAR_FILE (Kubernetes secret mounts). */
function secret(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    problems.push(`set either ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  if (!file) return direct || undefined;
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    problems.push(`${name}_FILE names a file that cannot be read: ${file}`);
    return undefined;
  }
}

function parseHeaders(text: string | undefined, problems: string[]): Record<string, string> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push('APISCOPE_PROMETHEUS_HEADERS must be a JSON object such as {"X-Scope-OrgID":"tenant-a"}');
    return {};
  }
  const parsed = z.record(z.string(), z.string()).safeParse(value);
  if (!parsed.success) {
    problems.push("APISCOPE_PROMETHEUS_HEADERS must map header names to string values");
    return {};
  }
  for (const name of Object.keys(parsed.data)) {
    if (!HEADER_NAME_RE.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      problems.push(`APISCOPE_PROMETHEUS_HEADERS has a header name that cannot be sent: ${JSON.stringify(name)}`);
    }
  }
  return parsed.data;
}

/** Validates the environment; throws ConfigError listing every problem at once. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const result = envSchema.safeParse(env);
  if (!result.success) problems.push(...result.error.issues.map((i) => i.message));
  const bearerToken = secret(env, "APISCOPE_PROMETHEUS_BEARER_TOKEN", problems);
  const username = env.APISCOPE_PROMETHEUS_USERNAME || undefined;
  const password = secret(env, "APISCOPE_PROMETHEUS_PASSWORD", problems);
  if ((username === undefined) !== (password === undefined)) {
    problems.push("set both APISCOPE_PROMETHEUS_USERNAME and APISCOPE_PROMETHEUS_PASSWORD for basic auth, or neither");
  }
  if (bearerToken && username) problems.push("choose one authentication: a bearer token or basic auth, not both");
  const headers = parseHeaders(env.APISCOPE_PROMETHEUS_HEADERS, problems);
  const webhookToken = secret(env, "APISCOPE_AUDIT_WEBHOOK_TOKEN", problems);
  const allowUnauthenticated = env.APISCOPE_AUDIT_WEBHOOK_ALLOW_UNAUTHENTICATED === "true";
  if (webhookToken && allowUnauthenticated) {
    problems.push("APISCOPE_AUDIT_WEBHOOK_ALLOW_UNAUTHENTICATED=true contradicts a webhook token: drop one of them");
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const e = result.data;
  return {
    prometheus: {
      url: e.APISCOPE_PROMETHEUS_URL,
      bearerToken,
      basicAuth: username && password ? { username, password } : undefined,
      headers,
      timeoutSeconds: e.APISCOPE_QUERY_TIMEOUT,
    },
    listen: e.APISCOPE_LISTEN,
    apiserverSelector: e.APISCOPE_APISERVER_SELECTOR,
    scrapeIntervalSeconds: e.APISCOPE_SCRAPE_INTERVAL,
    cacheTtlSeconds: e.APISCOPE_CACHE_TTL,
    inflightLimits: { readOnly: e.APISCOPE_MAX_REQUESTS_INFLIGHT, mutating: e.APISCOPE_MAX_MUTATING_REQUESTS_INFLIGHT },
    audit: {
      dataDir: path.resolve(e.APISCOPE_DATA_DIR),
      files: e.APISCOPE_AUDIT_FILES.split(",").map((f) => f.trim()).filter(Boolean).map((f) => path.resolve(f)),
      webhook: webhookToken
        ? { mode: "token", token: webhookToken }
        : allowUnauthenticated
          ? { mode: "unauthenticated" }
          : { mode: "disabled" },
      retentionSeconds: e.APISCOPE_AUDIT_RETENTION,
      uploadRetentionSeconds: e.APISCOPE_AUDIT_UPLOAD_RETENTION,
      maxBytes: e.APISCOPE_AUDIT_MAX_BYTES,
      memoryLimitBytes: e.APISCOPE_DUCKDB_MEMORY_LIMIT,
      uploadMaxBytes: e.APISCOPE_UPLOAD_MAX_BYTES,
      metricsMaxClients: e.APISCOPE_METRICS_MAX_CLIENTS,
    },
  };
}

let cached: Config | undefined;

/** The server's configuration, read once from process.env. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
