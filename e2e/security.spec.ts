// The Content-Security-Policy: every page and API answer carries one, pages' scripts need the request's nonce (every
// other e2e test fails on a console error, so the pages work under it), and script injected into a page is blocked.
// (A script element created by the page's own code still runs: 'strict-dynamic' trusts what trusted scripts add.)
import { expect, test } from "./fixtures";

const PAGES = ["/", "/load", "/webhooks", "/apf", "/alerts", "/alerts/runbooks", "/audit"];

test("every page is served with a nonce policy without 'unsafe-inline' scripts, framing refused; API answers run nothing", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of PAGES) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const csp = res.headers()["content-security-policy"] ?? "";
    const script = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"))!;
    expect(script, path).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(script, path).not.toContain("'unsafe-inline'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    nonces.add(/'nonce-([^']+)'/.exec(script)![1]!);
    // The nonce the policy names is the one the page's scripts carry.
    expect(await res.text(), path).toContain(`nonce="${/'nonce-([^']+)'/.exec(script)![1]}"`);
  }
  expect(nonces.size).toBe(PAGES.length);
  for (const path of ["/api/status", "/metrics", "/favicon.ico"]) {
    const res = await request.get(path);
    expect(res.headers()["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
  }
});

test.describe("script injected into a page", () => {
  // The browser reports what it blocked.
  test.use({ allowedConsoleErrors: [/Content Security Policy/] });

  test("does not run: an inline event handler added to the page is refused", async ({ page }) => {
    const refused: string[] = [];
    page.on("console", (m) => m.type() === "error" && /Content Security Policy/.test(m.text()) && refused.push(m.text()));
    await page.goto("/alerts/runbooks");
    await expect(page.getByRole("heading", { name: "Runbooks of the alert templates" })).toBeVisible();
    await page.evaluate(() => {
      const box = document.createElement("div");
      // What an audit string that escaped its escaping would become: markup with script in it.
      box.innerHTML = '<img src="data:image/png;base64,AAAA" onerror="window.__injected = 1">';
      document.body.append(box);
    });
    await expect.poll(() => refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatch(/inline event handler/);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  });
});
