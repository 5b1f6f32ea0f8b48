// Configuration for tests that call the server code directly, built through the real parser.
import { parseConfig, type Config } from "@/lib/config";

export function testConfig(prometheusUrl: string, overrides: Record<string, string> = {}): Config {
  return parseConfig({ APISCOPE_PROMETHEUS_URL: prometheusUrl, ...overrides });
}
