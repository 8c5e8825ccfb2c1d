import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import manifest from "./manifest";

describe("the web app manifest", () => {
  const m = manifest();

  it("names the service in both languages and opens on the number page", () => {
    expect(m.name).toContain("二次号解绑服务");
    expect(m.name).toContain("For recycled mobile numbers");
    expect(m).toMatchObject({ short_name: "Reclaim", start_url: "/me", display: "standalone", theme_color: "#0b5c8c" });
  });

  it("lists icons that exist in public/, PNG at 192 and 512, plain and maskable", () => {
    for (const icon of m.icons ?? []) expect({ src: icon.src, exists: existsSync(path.join(__dirname, "..", "public", icon.src)) }).toEqual({ src: icon.src, exists: true });
    const png = (m.icons ?? []).filter((i) => i.type === "image/png");
    expect(png.map((i) => `${i.sizes} ${i.purpose ?? "any"}`).sort()).toEqual(["192x192 any", "192x192 maskable", "512x512 any", "512x512 maskable"]);
    // The PNGs are what they say: the signature, and the width and height in the IHDR chunk.
    for (const icon of png) {
      const bytes = readFileSync(path.join(__dirname, "..", "public", icon.src));
      expect(bytes.subarray(1, 4).toString()).toBe("PNG");
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  });
});
