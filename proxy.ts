// Every page is served with a Content-Security-Policy whose scripts need this request's nonce: a script injected into
// a page (an audit string that escaped its escaping, a hostile extension of the page) does not run. Next.js reads
// the nonce from the request's policy and puts it on its own scripts; the layout puts it on the theme script.
import { NextResponse, type NextRequest } from "next/server";

export function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next.js loads at run time are trusted through the nonced scripts that load them.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Charts and the editor set inline styles; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = pagePolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: API answers and static files get their fixed policy from next.config.mjs.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|metrics|favicon.ico|icon|manifest.webmanifest).*)" }],
};
