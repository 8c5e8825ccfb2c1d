import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, decryptBytes, decryptText, encryptBytes, encryptText, parseDataKeys } from "./encryption";

const key = () => randomBytes(32).toString("base64");

describe("encryption at rest (AES-256-GCM)", () => {
  const keys = parseDataKeys(key());

  it("round-trips text and bytes, with a fresh IV every time", () => {
    const text = "刘某某 因欠款逾期，请联系 13812345678";
    const a = encryptText(text, "report:1:text", keys);
    const b = encryptText(text, "report:1:text", keys);
    expect(a).not.toEqual(b);
    expect(a).not.toContain("刘");
    expect(decryptText(a, "report:1:text", keys)).toBe(text);
    const bytes = randomBytes(1000);
    const sealed = encryptBytes(bytes, "report:1:evidence:x", keys);
    expect(Buffer.from(sealed).includes(bytes.subarray(0, 16))).toBe(false);
    expect(Buffer.from(decryptBytes(sealed, "report:1:evidence:x", keys))).toEqual(bytes);
  });

  it("refuses a ciphertext moved to another row, tampered with, or sealed with an unknown key", () => {
    const sealed = encryptText("secret", "report:1:text", keys);
    expect(() => decryptText(sealed, "report:2:text", keys)).toThrow(DecryptionError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    expect(() => decryptText([...parts.slice(0, 3), body.toString("base64url")].join("."), "report:1:text", keys)).toThrow(DecryptionError);
    expect(() => decryptText(sealed, "report:1:text", parseDataKeys(key()))).toThrow(/unknown key/);
    expect(() => decryptText("not-a-ciphertext", "report:1:text", keys)).toThrow(DecryptionError);
    const bytes = encryptBytes(Buffer.from("image"), "a", keys);
    expect(() => decryptBytes(bytes, "b", keys)).toThrow(DecryptionError);
    expect(() => decryptBytes(Buffer.from("RCE1short"), "a", keys)).toThrow(DecryptionError);
  });

  it("rotates: the first key encrypts, every listed key decrypts", () => {
    const oldKey = key();
    const newKey = key();
    const sealedOld = encryptText("before rotation", "aad", parseDataKeys(oldKey));
    const rotated = parseDataKeys(`${newKey},${oldKey}`);
    expect(decryptText(sealedOld, "aad", rotated)).toBe("before rotation");
    const sealedNew = encryptText("after rotation", "aad", rotated);
    expect(sealedNew.split(".")[1]).toBe(rotated[0]!.kid);
    expect(() => decryptText(sealedNew, "aad", parseDataKeys(oldKey))).toThrow(/unknown key/);
  });

  it("accepts only 32-byte keys", () => {
    expect(() => parseDataKeys(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
    expect(() => parseDataKeys(" , ")).toThrow(/empty/);
  });
});
