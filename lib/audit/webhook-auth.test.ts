import { describe, expect, it } from "vitest";
import { bearerToken, webhookAuthorized } from "./webhook-auth";

describe("the audit webhook's bearer token", () => {
  it("reads the scheme in any case (RFC 7235: auth schemes are case-insensitive)", () => {
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) expect(bearerToken(`${scheme} s3cret`)).toBe("s3cret");
    expect(bearerToken("Bearer   s3cret")).toBe("s3cret"); // 1*SP
    expect(webhookAuthorized("bearer s3cret", "s3cret")).toBe(true);
  });
  it("refuses other schemes, a missing token and a wrong one", () => {
    for (const header of [null, "", "Bearer", "Bearer ", "Basic czNjcmV0", "Bearers3cret", "Token s3cret"]) expect(webhookAuthorized(header, "s3cret"), String(header)).toBe(false);
    expect(webhookAuthorized("Bearer s3cre", "s3cret")).toBe(false);
    expect(webhookAuthorized("Bearer s3cret2", "s3cret")).toBe(false);
    expect(webhookAuthorized("bearer S3CRET", "s3cret")).toBe(false); // the token itself is compared exactly
  });
});
