import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodablePath, judgePageRequest } from "./page-guard";

// React's client encoder, as the browser runs it when a form calls a server action.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node") as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};

const ACTION = "7f".padEnd(42, "0");
type Body = { contentType: string; bytes: Uint8Array };

async function encoded(args: unknown[]): Promise<Body> {
  const reply = await encodeReply(args);
  if (typeof reply === "string") return { contentType: "text/plain;charset=UTF-8", bytes: new TextEncoder().encode(reply) };
  const response = new Response(reply);
  return { contentType: response.headers.get("content-type")!, bytes: new Uint8Array(await response.arrayBuffer()) };
}

function multipart(parts: { name: string; value: string; filename?: string }[], boundary = "----x"): Body {
  const text = parts
    .map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}\r\n\r\n${p.value}\r\n`)
    .join("");
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: new TextEncoder().encode(`${text}--${boundary}--\r\n`) };
}
const plain = (text: string): Body => ({ contentType: "text/plain;charset=UTF-8", bytes: new TextEncoder().encode(text) });

function request(body: Body, headers: Record<string, string> = { "next-action": ACTION }) {
  return new Request("http://127.0.0.1/login", { method: "POST", headers: { "content-type": body.contentType, ...headers }, body: Buffer.from(body.bytes) });
}

/** React's own server decoder, run as Next.js runs it (lib/http/testing/react-decode.mjs). */
function reactDecodes(bodies: Body[]): string[] {
  const script = path.join(__dirname, "testing/react-decode.mjs");
  const input = JSON.stringify(bodies.map((b) => ({ contentType: b.contentType, base64: Buffer.from(b.bytes).toString("base64") })));
  const run = spawnSync(process.execPath, ["--conditions=react-server", script], {
    input,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`decoder failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

const state = { ok: false, message: "请修正", values: { text: "$100 off, 满100减20", number: "+86 138 0013 8000" }, fieldErrors: { code: "$K1 is not a code" } };

describe("judgePageRequest: what our own forms send passes", () => {
  it("accepts (formData) and (previousState, formData), with text that begins with $", async () => {
    const form = new FormData();
    form.set("number", "+8613800138000");
    form.set("text", "$K1 $@1 $1:x");
    form.set("evidence", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "shot.png", { type: "image/png" }));
    const bodies = [await encoded([form]), await encoded([state, form]), await encoded([{ ok: false }, form]), await encoded(["en"])];
    for (const body of bodies) expect(await judgePageRequest(request(body))).toBeNull();
    expect(reactDecodes(bodies)).toEqual(["array", "array", "array", "array"]);
  });

  it("leaves GETs, non-action posts and other routes' posts to Next.js", async () => {
    expect(await judgePageRequest(new Request("http://127.0.0.1/me"))).toBeNull();
    expect(await judgePageRequest(request(plain("a=1"), {}))).toBeNull();
  });

  it("accepts a form posted before JavaScript loaded ($ACTION_REF with bound arguments)", async () => {
    const body = multipart([
      { name: "$ACTION_REF_1", value: "" },
      { name: "$ACTION_1:0", value: JSON.stringify({ id: ACTION, bound: "$@1" }) },
      { name: "$ACTION_1:1", value: JSON.stringify([{ ok: false }]) },
      { name: "$ACTION_KEY", value: "k0123" },
      { name: "number", value: "+8613800138000" },
    ]);
    expect(await judgePageRequest(request(body, {}))).toBeNull();
    expect(await judgePageRequest(request(multipart([{ name: `$ACTION_ID_${ACTION}`, value: "" }, { name: "x", value: "y" }]), {}))).toBeNull();
  });
});

describe("judgePageRequest: what React's decoder fails on is refused, with 400", () => {
  const hostile: [string, Body][] = [
    ["a reference to a part never sent", plain('["$1:x:y"]')],
    ["an outlined Map", plain('["$Q1"]')],
    ["a lone $", plain('["$"]')],
    ["a promise in a fetch action", plain('["$@1"]')],
    ["not JSON", plain("aaaa")],
    ["truncated JSON", plain('[{"ok":')],
    ["a root that is not a list", plain("null")],
    ["a root that is an object", plain('{"status":"x"}')],
    ["a bigint that is not a number", plain('["$nx"]')],
    ["FormData in a text body", plain('["$K1"]')],
    ["deep nesting", plain(`${"[".repeat(5000)}${"]".repeat(5000)}`)],
    ["a multipart body without part 0", multipart([{ name: "1_number", value: "x" }])],
    ["part 0 given twice", multipart([{ name: "0", value: '["$K1"]' }, { name: "", value: '["$K1"]' }])],
    ["part 0 as a file", multipart([{ name: "0", value: '["$K1"]', filename: "a.png" }])],
    ["a forward reference in part 0", multipart([{ name: "0", value: '["$1:x:y"]' }])],
    ["a truncated multipart body", { ...multipart([{ name: "0", value: '["$K1"]' }]), bytes: multipart([{ name: "0", value: '["$K1"]' }]).bytes.subarray(0, 30) }],
    ["a multipart type without a boundary", { ...multipart([{ name: "0", value: '["$K1"]' }]), contentType: "multipart/form-data" }],
  ];

  it.each(hostile)("%s", async (_name, body) => {
    expect(await judgePageRequest(request(body))).toMatchObject({ status: 400 });
  });

  it("each of them is one React's decoder fails on, or decodes to what no form of ours sends", () => {
    const outcomes = reactDecodes(hostile.map(([, body]) => body));
    const decodable = hostile.filter((_, i) => outcomes[i] === "array").map(([name]) => name);
    // These two decode, but only a hand-made request sends them: refusing them costs no one.
    expect(decodable).toEqual(["a promise in a fetch action", "FormData in a text body"]);
  });

  it("refuses a bad action id, a bad router-state header and broken bound arguments", async () => {
    expect(await judgePageRequest(request(await encoded(["en"]), { "next-action": "" }))).toMatchObject({ status: 400 });
    expect(await judgePageRequest(request(await encoded(["en"]), { "next-action": "&_+86" }))).toMatchObject({ status: 400 });
    expect(await judgePageRequest(request(await encoded(["en"]), { "next-action": ACTION, "next-router-state-tree": "%7B%7B" }))).toMatchObject({ status: 400 });
    expect(await judgePageRequest(new Request("http://127.0.0.1/me", { headers: { "next-router-state-tree": "%zz" } }))).toMatchObject({ status: 400 });
    const unbound = multipart([
      { name: "$ACTION_REF_1", value: "" },
      { name: "$ACTION_1:0", value: JSON.stringify({ id: ACTION, bound: "$@1" }) },
    ]);
    expect(await judgePageRequest(request(unbound, {}))).toMatchObject({ status: 400 });
    const cyclic = multipart([
      { name: "$ACTION_REF_1", value: "" },
      { name: "$ACTION_1:0", value: JSON.stringify({ id: ACTION, bound: "$@1" }) },
      { name: "$ACTION_1:1", value: '["$@1"]' },
    ]);
    expect(await judgePageRequest(request(cyclic, {}))).toMatchObject({ status: 400 });
  });
});

describe("judgePageRequest: whatever it accepts, React's decoder turns into an argument list", () => {
  it("holds for 400 seeded random bodies", async () => {
    let seed = 20261202;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pick = <T,>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
    const tokens = ["$$x", "$K1", "$K2", "$u", "$undefined", "$D2026-12-02T00:00:00.000Z", "$Dnope", "$n12", "$n-3", "$I", "$NaN", "$-0", "$-Infinity", "$@1", "$1", "$0:a", "$Q1", "$W1", "$h1", "$T", "$B1", "$", "plain", "中文"];
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.4) return pick(tokens);
      if (r < 0.5) return pick([null, 1, true, -0.5]);
      if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 3) }, (_, i) => [pick(["a", "b", "$K1", "__proto__"]) + i, value(depth + 1)]));
    };
    const bodies: Body[] = [];
    for (let i = 0; i < 400; i++) {
      const root = rand() < 0.85 ? Array.from({ length: Math.floor(rand() * 3) + 1 }, () => value(1)) : value(0);
      const json = JSON.stringify(root);
      if (rand() < 0.5) {
        bodies.push(plain(json));
      } else {
        const parts = [{ name: "0", value: json }];
        if (rand() < 0.5) parts.push({ name: "1_number", value: "x" });
        if (rand() < 0.3) parts.push({ name: pick(["1", "2", "0x1", "_1_a"]), value: JSON.stringify(value(1)) });
        bodies.push(multipart(parts));
      }
    }
    const accepted: Body[] = [];
    for (const body of bodies) if ((await judgePageRequest(request(body))) === null) accepted.push(body);
    // Enough of each kind to mean something.
    expect(accepted.length).toBeGreaterThan(40);
    expect(accepted.length).toBeLessThan(bodies.length);
    expect(new Set(reactDecodes(accepted))).toEqual(new Set(["array"]));
  });
});

describe("judgePageRequest: size", () => {
  it("refuses a declared or streamed body over the action limit with 413", async () => {
    const big = plain(`["${"a".repeat(2048)}"]`);
    expect(await judgePageRequest(request(big), 1024)).toMatchObject({ status: 413 });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(512).fill(0x61));
        controller.close();
      },
    });
    const chunked = new Request("http://127.0.0.1/login", { method: "POST", headers: { "next-action": ACTION, "content-type": "text/plain" }, body: stream, duplex: "half" } as RequestInit);
    expect(await judgePageRequest(chunked, 1024)).toMatchObject({ status: 413 });
  });
});

describe("decodablePath", () => {
  it("accepts what decodes and refuses a bad escape in any segment", () => {
    for (const ok of ["/", "/reports/0b5c", "/reports/%E4%B8%AD", "/unbind/%2F"]) expect(decodablePath(ok)).toBe(true);
    for (const bad of ["/reports/%zz", "/%E0%A4%A", "/login%", "/%C0%AF", "/api/lookups/%ff%fe"]) expect(decodablePath(bad)).toBe(false);
  });
});
