// Writes the incident scenario to disk (metrics.om, audit.log, scenario.json) with bounded memory.
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { generateScenario, type ScenarioParams, type ScenarioSummary } from "@/scenario";

export interface ScenarioFiles {
  dir: string;
  metricsPath: string;
  metricsBytes: number;
  /** null when the audit log was not asked for. */
  auditPath: string | null;
  auditBytes: number;
  summary: ScenarioSummary;
}

const FLUSH_CHARS = 1 << 20;

/** Collects text and writes it synchronously in ~1 MB pieces (the generator is synchronous). */
function bufferedFile(file: string) {
  const fd = openSync(file, "w");
  let parts: string[] = [];
  let size = 0;
  let bytes = 0;
  const flush = () => {
    if (parts.length === 0) return;
    const buf = Buffer.from(parts.join(""), "utf8");
    writeSync(fd, buf);
    bytes += buf.length;
    parts = [];
    size = 0;
  };
  return {
    write(text: string) {
      parts.push(text);
      size += text.length;
      if (size >= FLUSH_CHARS) flush();
    },
    close(): number {
      flush();
      closeSync(fd);
      return bytes;
    },
  };
}

export function writeScenarioFiles(dir: string, params: ScenarioParams, options: { audit: boolean }): ScenarioFiles {
  mkdirSync(dir, { recursive: true });
  const metricsPath = path.join(dir, "metrics.om");
  const auditPath = path.join(dir, "audit.log");
  if (!options.audit) rmSync(auditPath, { force: true }); // never leave a log of another run beside these metrics
  const metrics = bufferedFile(metricsPath);
  const audit = options.audit ? bufferedFile(auditPath) : null;
  let summary: ScenarioSummary;
  let metricsBytes = 0;
  let auditBytes = 0;
  try {
    summary = generateScenario(params, {
      openMetrics: (chunk) => metrics.write(chunk),
      ...(audit ? { audit: (line: string) => audit.write(`${line}\n`) } : {}),
    });
  } finally {
    metricsBytes = metrics.close();
    auditBytes = audit?.close() ?? 0;
  }
  writeFileSync(path.join(dir, "scenario.json"), `${JSON.stringify(summary, null, 2)}\n`);
  return { dir, metricsPath, metricsBytes, auditPath: audit ? auditPath : null, auditBytes, summary };
}
