// Loaded at server start (Node.js runtime only): a bad setting stops the server with a message saying what to
// fix, instead of surfacing later as failed panels; configured audit log files start being followed.
import { ConfigError, getConfig } from "./config";

try {
  const config = getConfig();
  if (config.audit.files.length > 0 || config.audit.webhook.mode !== "disabled") {
    const { getAuditService } = await import("./audit/server");
    await getAuditService();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `apiscope cannot start: ${(err as Error).message}`);
  process.exit(1);
}
