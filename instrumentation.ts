// Runs once when the server starts: the configuration is validated before any request is served.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/startup");
}
