// The audit webhook's credentials: kube-apiserver sends `Authorization: Bearer <token>` from its webhook
// kubeconfig. Auth schemes are case-insensitive (RFC 7235 §2.1), so any spelling of "Bearer" is accepted.
import { timingSafeEqual } from "node:crypto";

/** The token of a bearer Authorization header, or null when the header is not one. */
export function bearerToken(header: string | null): string | null {
  const m = /^bearer +(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

/** Whether the header carries exactly `token` (compared in constant time). */
export function webhookAuthorized(header: string | null, token: string): boolean {
  const given = Buffer.from(bearerToken(header) ?? "");
  const want = Buffer.from(token);
  return given.length === want.length && given.length > 0 && timingSafeEqual(given, want);
}
