import { describe, expect, it } from "vitest";
import { dummyPasswordHash, hashPassword, legacyScryptHash, needsRehash, verifyPassword } from "./password";

describe("staff passwords", () => {
  it("hashes with argon2id (OWASP parameters) and a fresh salt, and verifies only the right password", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse"), hashPassword("correct horse")]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(a)).toBe(false);
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsf", a)).toBe(false);
  });

  it("still verifies an scrypt hash from before argon2id, and marks it for re-hashing", async () => {
    const old = await legacyScryptHash("correct horse");
    expect(old).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse", old)).toBe(true);
    expect(await verifyPassword("wrong horse", old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$abc$def")).toBe(true);
  });

  it("refuses malformed hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "md5$abc")).toBe(false);
    expect(await verifyPassword("x", "$argon2id$garbage")).toBe(false);
  });

  it("has an argon2id dummy hash that never matches, for equal-time answers on unknown accounts", async () => {
    const dummy = await dummyPasswordHash();
    expect(dummy).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword("", dummy)).toBe(false);
  });
});
