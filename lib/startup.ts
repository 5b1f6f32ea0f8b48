// Loaded at server start (Node.js runtime only): a bad setting stops the server with a message saying what to
// fix, instead of surfacing later as failed panels.
import { ConfigError, getConfig } from "./config";

try {
  getConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
