/**
 * `npm run test:fuzz`: hostile requests against every boundary of a production build, on loopback.
 *
 * Starts the reference partner server and `next start` (the test-run environment of e2e/server-env.ts,
 * with a fresh PGlite directory), sends at least FUZZ_REQUESTS (default 1,000) seeded, hostile requests to each boundary
 * (8 at a time, 10 s each), and fails when any answer is ≥ 500, any request hangs, or a table that
 * refused input must not touch has grown. Row counts are read from the PGlite directory with the
 * server stopped: once after a warm-up run (migrations, seed), once after the anonymous boundaries.
 * A last boundary posts to the owner's actions signed in as the demo owner (no row counts there:
 * valid input may write).
 *
 * Env: FUZZ_SEED (default 20261128), FUZZ_REQUESTS (per boundary), FUZZ_ONLY (comma-separated
 * boundary names), FUZZ_SERVER_LOG (lines of server output to print on failure), FUZZ_DEBUG (print
 * the sign-in steps' answers).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/index";
import { testServerEnv } from "../e2e/server-env";

const ROOT = path.resolve(__dirname, "..");
const SEED = Number(process.env.FUZZ_SEED ?? 20261128) >>> 0;
const PER_BOUNDARY = Math.max(1, Number(process.env.FUZZ_REQUESTS ?? 1000));
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(",").map((s) => s.trim())) : null;
const CONCURRENCY = 8;
const TIMEOUT_MS = 10_000;
const ACTION_LIMIT = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// A small seeded PRNG (mulberry32) and generators.

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  private next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float() {
    return this.next();
  }
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bool(p = 0.5) {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  hex(n: number) {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(0, 15)];
    return s;
  }
  uuid(upper = false) {
    const s = `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(["8", "9", "a", "b"])}${this.hex(3)}-${this.hex(12)}`;
    return upper ? s.toUpperCase() : s;
  }
  /** A string of hostile characters: NUL, controls, lone surrogates, RTL marks, emoji, quotes. */
  nasty(max = 40): string {
    const alphabet = [
      "a", "Z", "0", "9", " ", "\u0000", "\u0001", "\u001f", "\u007f", "\n", "\r", "\t", "\"", "'", "\\", "<", ">",
      "&", "%", "%00", "%zz", "$", "$K1", "$@", "$Q", "{", "}", "[", "]", ":", ",", "\ud800", "\udfff", "\u202e",
      "\ufeff", "中", "文", "😀", "+86", "@", ".", "/", "..", "../", "\u2028", "null", "__proto__", "constructor",
    ];
    let s = "";
    const n = this.int(0, max);
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
  /** Random JSON-ish values, sometimes deeply nested or with poisoned keys. */
  json(depth = 0): unknown {
    const kind = this.int(0, depth > 3 ? 5 : 8);
    switch (kind) {
      case 0: return null;
      case 1: return this.bool();
      case 2: return this.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER, 7 * 24 * 3600 * 1000 + 1]);
      case 3: return this.nasty(20);
      case 4: return this.uuid(this.bool());
      case 5: return this.pick(["$K1", "$@0", "$Q1", "$F1", "$h1", "$T", "$undefined", "$n1", "$D2020", "$1:a:b", "$Infinity"]);
      case 6: {
        const a: unknown[] = [];
        const n = this.int(0, 5);
        for (let i = 0; i < n; i++) a.push(this.json(depth + 1));
        return a;
      }
      default: {
        const o: Record<string, unknown> = {};
        const n = this.int(0, 5);
        for (let i = 0; i < n; i++) {
          o[this.pick(["id", "status", "__proto__", "constructor", "batchId", "itemId", "reportId", "result", "outcome", "code", this.nasty(8)])] = this.json(depth + 1);
        }
        return o;
      }
    }
  }
  /** A JSON text, or something that only looks like one. */
  jsonText(): string {
    const r = this.int(0, 9);
    if (r === 0) return "";
    if (r === 1) return "{".repeat(this.int(1, 5000));
    if (r === 2) return `{"a":${"[".repeat(this.int(100, 3000))}`;
    if (r === 3) return this.nasty(200);
    if (r === 4) return JSON.stringify(this.json()).slice(0, this.int(0, 50));
    if (r === 5) return `\ufeff${JSON.stringify(this.json())}`;
    return JSON.stringify(this.json());
  }
}

// ---------------------------------------------------------------------------------------------
// Requests.

interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string | undefined>;
  /** A buffer is sent with Content-Length; an array of buffers is sent chunked. */
  body?: Buffer | Buffer[];
  /** A note for the failure report (what was hostile about it). */
  note: string;
}

interface Outcome {
  status: number | string;
  ms: number;
}

// One connection per request: a server that closes a connection after refusing a body must not
// turn the next request on that socket into a reset.
const agent = new http.Agent({ keepAlive: false, maxSockets: CONCURRENCY });

function send(port: number, req: FuzzRequest): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    const done = (s: number | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status: s, ms: Date.now() - started });
    };
    const headers: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) if (v !== undefined) headers[k] = v;
    const chunked = Array.isArray(req.body);
    if (req.body && !chunked) headers["content-length"] ??= (req.body as Buffer).byteLength;
    if (chunked) headers["transfer-encoding"] = "chunked";
    let r: http.ClientRequest;
    try {
      r = http.request({ host: "127.0.0.1", port, method: req.method, path: req.path, headers, agent });
    } catch (error) {
      // The client refused to build it (an invalid header character): nothing reached the server.
      resolve({ status: `client:${(error as NodeJS.ErrnoException).code ?? "invalid"}`, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      r.destroy(new Error("timeout"));
      done("HANG");
    }, TIMEOUT_MS);
    r.on("response", (res) => {
      status = res.statusCode ?? 0;
      res.on("data", () => {});
      res.on("end", () => done(status!));
      res.on("error", () => done(status!));
      res.on("close", () => done(status!));
    });
    r.on("error", (error: NodeJS.ErrnoException) => {
      // A server that answers early (413) and closes while we still write: its status counts.
      if (status !== undefined) done(status);
      else done(`reset:${error.code ?? error.message}`);
    });
    if (chunked) {
      const chunks = req.body as Buffer[];
      let i = 0;
      const pump = () => {
        while (i < chunks.length) {
          if (!r.write(chunks[i++])) {
            r.once("drain", pump);
            return;
          }
        }
        r.end();
      };
      pump();
    } else {
      r.end(req.body);
    }
  });
}

const describe = (req: FuzzRequest) => {
  const size = Array.isArray(req.body) ? req.body.reduce((n, b) => n + b.byteLength, 0) : (req.body?.byteLength ?? 0);
  const head = Array.isArray(req.body) ? req.body[0] : req.body;
  const preview = head ? JSON.stringify(head.subarray(0, 60).toString("latin1")) : "";
  const shownHeaders = Object.entries(req.headers ?? {})
    .filter(([k, v]) => v !== undefined && k !== "cookie")
    .map(([k, v]) => `${k}: ${JSON.stringify(v!.slice(0, 60))}`)
    .join("; ");
  return `${req.method} ${JSON.stringify(req.path.slice(0, 120))} [${req.note}] {${shownHeaders}} body ${size} B${Array.isArray(req.body) ? " chunked" : ""} ${preview}`;
};

// ---------------------------------------------------------------------------------------------
// Boundaries.

interface ActionRef {
  id: string;
  page: string;
  /** The exported name (`sendCode`), from the build's manifest. */
  name: string;
}

interface Context {
  origin: string;
  actions: ActionRef[];
  staffSignIn: ActionRef[];
  ownerSignIn: ActionRef[];
  /** A signed-in owner's cookies, for the signed-in boundary. */
  cookie?: string;
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "application/octet-stream",
  "application/json; charset=utf-16",
  "application/json\t; x=\"\\\"",
  "",
];

function bodyLike(g: Gen): Buffer | Buffer[] {
  const r = g.int(0, 11);
  if (r === 0) return Buffer.alloc(g.int(20_000, 200_000), "a"); // over the callback cap
  if (r === 1) {
    // Chunked, no Content-Length, some over the cap.
    const chunks: Buffer[] = [];
    const n = g.int(1, 40);
    for (let i = 0; i < n; i++) chunks.push(Buffer.from(g.jsonText() + "x".repeat(g.int(0, 4000))));
    return chunks;
  }
  if (r === 2) return Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]); // invalid UTF-8
  if (r === 3) return Buffer.from(`{"id":"\u0000${g.nasty(10)}","status":"\u0000"}`);
  return Buffer.from(g.jsonText());
}

function partnerCallback(endpoint: string) {
  return (g: Gen): FuzzRequest => {
    const headers: Record<string, string> = { "content-type": g.pick(CONTENT_TYPES) };
    const ts = String(g.pick([Math.floor(Date.now() / 1000), 0, -1, 1e12, Math.floor(Date.now() / 1000) - 86_400]));
    if (g.bool(0.8)) headers["webhook-id"] = g.pick([`msg_${g.hex(16)}`, "", g.nasty(20).replace(/[^\x20-\x7e]/g, "?"), "x".repeat(3000)]);
    if (g.bool(0.8)) headers["webhook-timestamp"] = g.pick([ts, "abc", "1e3", " ", "9".repeat(40)]);
    if (g.bool(0.8)) {
      headers["webhook-signature"] = g.pick([
        `v1,${Buffer.from(g.hex(32)).toString("base64")}`,
        "v1,",
        "v1a,AAAA",
        `v1,${"A".repeat(5000)}`,
        `v1,${g.hex(10)} v1,${g.hex(10)}`,
        "",
      ]);
    }
    if (g.bool(0.3)) headers["x-platform-id"] = g.pick([g.uuid(), g.uuid(true), "cm-1", g.nasty(10).replace(/[^\x20-\x7e]/g, "?")]);
    if (g.bool(0.1)) headers["content-length"] = g.pick(["-1", "abc", "1e9", "99999999999999999999"]);
    const body = bodyLike(g);
    if (headers["content-length"] && Array.isArray(body)) delete headers["content-length"];
    return { method: "POST", path: `/api/partner/v1/${endpoint}`, headers, body, note: `callback ${endpoint}` };
  };
}

/** Percent-encodes every byte but the unreserved ones (never throws, unlike encodeURIComponent on a lone surrogate). */
function pct(s: string): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function garbageId(g: Gen): string {
  return g.pick([
    g.uuid(),
    g.uuid(true),
    `${g.uuid()}x`,
    pct(g.nasty(20)),
    "%00",
    "%zz",
    "..%2F..%2Fetc%2Fpasswd",
    "a".repeat(g.int(100, 4000)),
    "0",
    "-1",
    "null",
    "%E0%A4%A",
    "%C0%AF",
    `${g.uuid()}%00`,
  ]);
}

function sameOrigin(ctx: Context) {
  return { origin: ctx.origin, referer: `${ctx.origin}/` };
}

const boundaries: Record<string, (g: Gen, ctx: Context) => FuzzRequest> = {
  "partner unbind-results": partnerCallback("unbind-results"),
  "partner report-results": partnerCallback("report-results"),

  "GET /api/lookups/[id]": (g) => ({
    method: "GET",
    path: `/api/lookups/${garbageId(g)}${g.bool(0.2) ? `?${g.pick(["wait=1", "since=%zz", "cursor=\u0000".replace("\u0000", "%00")])}` : ""}`,
    headers: g.bool(0.3) ? { cookie: `authjs.session-token=${g.hex(g.int(0, 200))}` } : {},
    note: "lookup id",
  }),

  "POST /api/lookups": (g, ctx) => {
    const headers: Record<string, string> = { "content-type": g.pick(CONTENT_TYPES) };
    const o = g.int(0, 3);
    if (o === 0) Object.assign(headers, sameOrigin(ctx));
    if (o === 1) headers.origin = "https://evil.example";
    if (o === 2) headers.origin = "null";
    if (g.bool(0.3)) headers.cookie = `authjs.session-token=${g.hex(g.int(0, 300))}`;
    return { method: "POST", path: "/api/lookups", headers, body: bodyLike(g), note: "start lookup" };
  },

  "GET /api/reports/[id]/evidence/[id]": (g) => ({
    method: "GET",
    path: `/api/reports/${g.bool(0.5) ? g.uuid(true) : garbageId(g)}/evidence/${g.bool(0.5) ? g.uuid(g.bool()) : garbageId(g)}`,
    headers: g.bool(0.3) ? { cookie: `authjs.session-token=${g.hex(g.int(0, 200))}`, range: "bytes=0-" } : {},
    note: "evidence",
  }),

  "GET /api/dev/sms": (g) => ({
    method: "GET",
    path: `/api/dev/sms?to=${g.pick([
      pct(g.nasty(30)),
      "%2B8613800138000",
      "+8613800138000",
      "%zz",
      "%00",
      "1".repeat(5000),
      "%2B" + "9".repeat(g.int(1, 30)),
    ])}${g.bool(0.2) ? "&to=x&to=y" : ""}`,
    headers: g.bool(0.3) ? { cookie: `reclaim-device=${g.hex(g.int(0, 100))}` } : {},
    note: "dev sms",
  }),

  "POST /api/dev/clock": (g) => {
    const r = g.int(0, 4);
    const value = r === 0 ? -1 : r === 1 ? 1e30 : r === 2 ? 0.5 : r === 3 ? "60000" : g.json();
    const body = g.bool(0.6) ? Buffer.from(JSON.stringify({ advanceMs: value })) : bodyLike(g);
    return { method: "POST", path: "/api/dev/clock", headers: { "content-type": g.pick(CONTENT_TYPES) }, body, note: "clock" };
  },

  "POST /api/dev/owners": (g, ctx) => {
    const headers: Record<string, string> = { "content-type": g.pick(CONTENT_TYPES) };
    if (g.bool(0.7)) Object.assign(headers, sameOrigin(ctx));
    const tenure = () => ({ startedAt: g.pick(["2026-03-15T10:30:00+08:00", "yesterday", g.nasty(20)]), ...(g.bool(0.3) ? { endedAt: g.json() } : {}) });
    const body = g.bool(0.6)
      ? Buffer.from(
          JSON.stringify({
            // The seeded demo number (refused 409: the seam never overwrites) or garbage, so that no
            // table but the limits changes (the check after the run).
            number: g.pick(["+8613800138000", "8613800138000", "+86 138", g.nasty(16)]),
            carrier: g.pick(["cmcc", "cucc", "acme", g.nasty(6)]),
            tenures: g.bool(0.8) ? Array.from({ length: g.int(0, 7) }, tenure) : g.json(),
            ...(g.bool(0.2) ? { [g.nasty(6)]: g.json() } : {}),
          }),
        )
      : bodyLike(g);
    return { method: "POST", path: "/api/dev/owners", headers, body, note: "dev owners" };
  },

  "GET bad paths": (g) => {
    const path = g.pick([
      "/%E0%A4%A",
      "/reports/%zz",
      "/%00",
      "/login%",
      "/%",
      "/%%30",
      `/reports/${g.uuid(true)}`,
      `/unbind/${pct(g.nasty(20))}`,
      `/reports/%C0%AF`,
      `/${"a".repeat(g.int(3000, 12_000))}`,
      `/${"%2F".repeat(g.int(100, 2000))}`,
      `/staff/login?callbackUrl=${g.pick(["%zz", "%00", "https://evil.example", "//evil.example"])}`,
      `/login?next=%E0%A4%A`,
      `/_next/%zz`,
      `/api/%zz`,
      `/api/lookups/%E0%A4%A`,
      `/${g.hex(8)}/%ff%fe`,
    ]);
    return { method: g.pick(["GET", "GET", "GET", "HEAD"]), path, note: "bad path" };
  },

  "server actions (owner pages)": (g, ctx) => actionRequest(g, ctx, g.pick(ctx.actions)),
  "owner sign-in action": (g, ctx) => actionRequest(g, ctx, g.pick(ctx.ownerSignIn)),
  "staff sign-in action": (g, ctx) => staffSignIn(g, ctx),

  "auth & staff endpoints": (g, ctx) => {
    const r = g.int(0, 6);
    if (r === 0) return { method: "GET", path: `/api/auth/${g.pick(["session", "csrf", "providers", "signin", "signout", "error?error=%zz", "callback/credentials", "%zz", pct(g.nasty(10))])}`, note: "auth get" };
    if (r === 1 || r === 2) {
      const form = new URLSearchParams({ email: g.nasty(30), password: g.nasty(30), csrfToken: g.hex(g.int(0, 64)), callbackUrl: g.pick(["/agent", "https://evil.example", g.nasty(10)]) });
      return {
        method: "POST",
        path: `/api/auth/${g.pick(["callback/credentials", "callback/staff", "callback/owner-otp", "signin/credentials", "signout", "session", "x"])}`,
        headers: { "content-type": g.pick(["application/x-www-form-urlencoded", "application/json", "text/plain"]), ...(g.bool() ? sameOrigin(ctx) : {}) },
        body: g.bool(0.8) ? Buffer.from(form.toString()) : bodyLike(g),
        note: "auth post",
      };
    }
    if (r === 3) return { method: "GET", path: `/api/cron/dispatch${g.bool() ? `?${g.nasty(10).replace(/[^\x21-\x7e]/g, "_")}` : ""}`, headers: { authorization: g.pick([`Bearer ${g.hex(20)}`, "Bearer", "", "Basic %%%"]) }, note: "cron" };
    if (r === 4) return { method: g.pick(["GET", "POST"]), path: g.pick(["/api/jwks", "/.well-known/jwks.json", "/api/health"]), headers: { ...sameOrigin(ctx) }, body: g.bool() ? bodyLike(g) : undefined, note: "jwks/health" };
    return {
      method: "GET",
      path: `${g.pick(["/agent", "/regulator", "/staff", "/staff/login", "/dev/sms", "/me", "/unbind", "/reports"])}?${g.pick(["page=%zz", "q=%00", `q=${pct(g.nasty(20))}`, "page=-1", "page=1e308", `case=${g.uuid(true)}`])}`,
      headers: g.bool(0.3) ? { cookie: `authjs.session-token=${g.hex(g.int(0, 300))}` } : {},
      note: "staff page",
    };
  },
};

const MALFORMED_ARGS = ['["$K1"]', "[]", "{}", "[1,2,3]", '["$@1"]', '["$Q1"]', '["$F1"]', '"$K1"', "null", '[{"ok":false},"$K1","$K1"]', '["$1:x:y"]', '["$h0"]'];

function multipart(parts: { name: string; value: string | Buffer; filename?: string; type?: string }[], boundary: string): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    out.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`, "utf8"));
    out.push(typeof p.value === "string" ? Buffer.from(p.value, "utf8") : p.value);
    out.push(Buffer.from("\r\n"));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

function fields(g: Gen, staff: boolean): Record<string, string> {
  if (staff) {
    return {
      email: g.pick([`${g.hex(8)}@${g.pick(["demo.reclaim.test", "example.com", "x"])}`, g.nasty(40), "agent@demo.reclaim.test\u0000", "a".repeat(g.int(200, 5000)) + "@x.y"]),
      password: g.pick([g.nasty(40), g.hex(g.int(0, 80)), "x".repeat(g.int(100, 3000))]),
      callbackUrl: g.pick(["/agent", "https://evil.example", "//evil.example", g.nasty(10)]),
    };
  }
  // Never a dialable number: no valid send is ever made, so no challenge row may appear.
  const uuid = () => g.uuid(g.bool(0.2));
  return {
    sender: g.pick([g.nasty(30), "95555", "+86 10 1234 5678"]),
    company: g.nasty(30),
    platforms: g.pick([Array.from({ length: g.int(0, 8) }, uuid).join(","), g.nasty(40), `${uuid()},${g.nasty(5)}`]),
    startedAt: g.pick(["2026-02-30", "2026-11-01", "0000-00-00", "9999-12-31", g.nasty(10)]),
    agree: g.pick(["on", "", g.nasty(3)]),
    reportId: g.pick([uuid(), g.nasty(10)]),
    challengeId: g.pick([uuid(), g.nasty(10)]),
    number: g.pick([g.nasty(20), `+86138${g.int(10 ** 11, 10 ** 12 - 1)}`, "+86\u000013800138000", "1".repeat(g.int(20, 3000)), "+", ""]),
    code: g.nasty(10),
    channel: g.nasty(5),
    text: g.nasty(60),
    platform: g.pick([g.uuid(true), g.nasty(10)]),
    receivedAt: g.pick(["2026-13-40T99:99", g.nasty(10), ""]),
    consent: g.nasty(5),
  };
}

function actionRequest(g: Gen, ctx: Context, action: ActionRef, staff = false): FuzzRequest {
  const headers: Record<string, string> = { accept: "text/x-component", "next-action": action.id };
  const o = g.int(0, 9);
  if (o <= 6) Object.assign(headers, sameOrigin(ctx));
  else if (o === 7) headers.origin = g.pick(["https://evil.example", "null", `${ctx.origin}.evil.example`, "http://127.0.0.1:1"]);
  else if (o === 8) headers.referer = "https://evil.example/login";
  // o === 9: neither Origin nor Referer.
  if (g.bool(0.1)) headers["next-action"] = g.pick([g.hex(42), "", g.nasty(10).replace(/[^\x21-\x7e]/g, "_"), action.id.toUpperCase()]);
  if (g.bool(0.2)) headers["next-router-state-tree"] = pct(g.pick(['["",{"children":["__PAGE__",{}]}]', "%zz", g.jsonText()]));
  const f = fields(g, staff);
  const kind = g.int(0, 9);
  if (kind <= 1) {
    // text/plain, as React posts a reply without FormData: a JSON argument list.
    headers["content-type"] = "text/plain;charset=UTF-8";
    const args = g.bool(0.5) ? g.pick(MALFORMED_ARGS) : g.jsonText();
    return { method: "POST", path: action.page, headers, body: Buffer.from(args), note: "text/plain args" };
  }
  if (kind === 2 && g.bool(0.3)) {
    // Over the 16 MB action limit, declared or chunked.
    headers["content-type"] = "text/plain;charset=UTF-8";
    if (g.bool()) return { method: "POST", path: action.page, headers, body: Buffer.alloc(ACTION_LIMIT + 1024 * 1024, 0x61), note: "17 MB declared" };
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    return { method: "POST", path: action.page, headers, body: Array.from({ length: 17 }, () => chunk), note: "17 MB chunked" };
  }
  const boundary = `----WebKitFormBoundary${g.hex(16)}`;
  headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
  const parts: { name: string; value: string | Buffer; filename?: string; type?: string }[] = [];
  // The argument list React encodes for (prevState, formData): "0" = [state, "$K1"], entries as "_1_<name>".
  const zero = g.bool(0.4) ? '[{"ok":false},"$K1"]' : g.pick(MALFORMED_ARGS);
  for (const [k, v] of Object.entries(f)) if (g.bool(0.8)) parts.push({ name: g.bool(0.9) ? `_1_${k}` : k, value: g.bool(0.2) ? `${v}\u0000` : v });
  if (g.bool(0.3)) {
    parts.push({
      name: g.pick(["_1_evidence", "_1_evidence", "evidence", "1_evidence"]),
      value: g.bool() ? PNG : Buffer.from(g.nasty(100)),
      filename: g.pick(["a\u0000.png", "\u0000", `${g.nasty(20).replace(/"/g, "")}.png`, "../../etc/passwd", "x".repeat(3000)]),
      type: g.pick(["image/png", "application/x-msdownload", "\u0000", "text/html"]),
    });
  }
  if (g.bool(0.1)) parts.push({ name: g.nasty(10).replace(/"/g, ""), value: g.nasty(50) });
  if (g.bool(0.05)) parts.push({ name: "_1_text", value: "x".repeat(g.int(100_000, 2_000_000)) });
  // React sends the FormData's entries first and the argument list (part 0) last; sometimes not.
  if (g.bool(0.9)) {
    if (g.bool(0.85)) parts.push({ name: "0", value: zero });
    else parts.unshift({ name: "0", value: zero });
  }
  let body = multipart(parts, boundary);
  if (g.bool(0.05)) body = body.subarray(0, g.int(0, body.length)); // truncated multipart
  if (g.bool(0.05)) headers["content-type"] = g.pick(["multipart/form-data", "multipart/form-data; boundary=", `multipart/form-data; boundary="${"x".repeat(200)}"`]);
  return { method: "POST", path: action.page, headers, body, note: `multipart ${parts.length} parts` };
}

/** The owner's actions on their own pages, posted with a live session (sign-out left out). */
function signedInAction(g: Gen, ctx: Context): FuzzRequest {
  const owned = ctx.actions.filter((a) => /^\/(me|reports|unbind)/.test(a.page) && !/SignOut/.test(a.name));
  const req = actionRequest(g, ctx, g.pick(owned));
  req.headers = { ...req.headers, cookie: ctx.cookie ?? "" };
  return req;
}

function staffSignIn(g: Gen, ctx: Context): FuzzRequest {
  return actionRequest(g, ctx, g.pick(ctx.staffSignIn), true);
}

// ---------------------------------------------------------------------------------------------
// Processes.

const started: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: "production" },
    detached: true, // its own process group, stopped as one
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk.toString());
    if (tail.length > 200) tail.shift();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  (child as ChildProcess & { tail?: string[] }).tail = tail;
  child.on("exit", (code, signal) => {
    if (!(child as ChildProcess & { stopping?: boolean }).stopping) console.error(`[fuzz] ${name} exited early (${code ?? signal})`);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  (child as ChildProcess & { stopping?: boolean }).stopping = true;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    await exited;
  }
}

function killAllSync() {
  for (const child of started) {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
  }
}
process.on("exit", killAllSync);
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(130));

async function waitFor(url: string, child: ChildProcess, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server for ${url} exited: ${((child as ChildProcess & { tail?: string[] }).tail ?? []).join("").slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${url}`);
}

// ---------------------------------------------------------------------------------------------
// Row counts.

/** Tables refused input may touch: throttles, failed sign-ins in the audit log, revoked sessions. */
const MAY_GROW = new Set(["rate_limits", "audit_log", "revoked_sessions"]);

async function countRows(pgliteDir: string): Promise<Record<string, number>> {
  const handle = await openDatabase({ pgliteDir });
  try {
    const tables = (await handle.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    )) as unknown as { rows: { table_name: string }[] };
    const counts: Record<string, number> = {};
    for (const { table_name } of tables.rows) {
      const r = (await handle.db.execute(sql.raw(`select count(*)::int as n from "${table_name.replace(/"/g, '""')}"`))) as unknown as { rows: { n: number }[] };
      counts[table_name] = Number(r.rows[0]?.n);
    }
    return counts;
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Action ids from the build.

function routeOfWorker(worker: string): string | null {
  // "app/(auth)/login/page" → "/login"; dynamic segments get a random-looking id.
  const m = /^app\/(.*)page$/.exec(worker);
  if (!m) return null;
  const segments = m[1]!
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? "00000000-0000-4000-8000-000000000000" : s));
  return `/${segments.join("/")}`;
}

function readActions(): ActionRef[] {
  const file = path.join(ROOT, ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node?: Record<string, { workers?: Record<string, unknown>; exportedName?: string }> };
  const out: ActionRef[] = [];
  for (const [id, entry] of Object.entries(manifest.node ?? {})) {
    for (const worker of Object.keys(entry.workers ?? {})) {
      const page = routeOfWorker(worker);
      if (page) out.push({ id, page, name: entry.exportedName ?? "" });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function runBoundary(name: string, make: (g: Gen, ctx: Context) => FuzzRequest, ctx: Context, port: number, seed: number) {
  const g = new Gen(seed);
  const histogram = new Map<string, number>();
  const failures: string[] = [];
  const resets: string[] = [];
  let fiveXX = 0;
  let hangs = 0;
  let sent = 0;
  const t0 = Date.now();
  const worker = async () => {
    while (sent < PER_BOUNDARY) {
      sent++;
      let req = make(g, ctx);
      let { status } = await send(port, req);
      // Node's client refused to send it (an invalid header character): it never reached the
      // server, so draw another.
      for (let retry = 0; typeof status === "string" && status.startsWith("client:") && retry < 20; retry++) {
        req = make(g, ctx);
        ({ status } = await send(port, req));
      }
      const key = String(status);
      if (key.startsWith("reset:") && resets.length < 3) resets.push(`${key} ← ${describe(req)}`);
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
      if (status === "HANG") hangs++;
      else if (typeof status === "number" && status >= 500) fiveXX++;
      else continue;
      if (failures.length < 5) failures.push(`${key} ← ${describe(req)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const hist = [...histogram.entries()].sort().map(([k, v]) => `${k}×${v}`).join(" ");
  console.log(`${name.padEnd(38)} sent ${String(sent).padStart(5)}  5xx ${String(fiveXX).padStart(4)}  hangs ${hangs}  ${((Date.now() - t0) / 1000).toFixed(1)} s  [${hist}]`);
  for (const f of failures) console.log(`    e.g. ${f}`);
  for (const r of resets) console.log(`    (connection closed without an answer) ${r}`);
  return { sent, fiveXX, hangs };
}

/**
 * Signs the demo owner in as a browser would: the number step and the code step are server
 * actions (posted as React posts them), the code read from the dev outbox. Returns the cookies.
 */
async function signInOwner(baseURL: string, actions: ActionRef[]): Promise<string> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const post = async (page: string, name: string, fields: Record<string, string>) => {
    const action = actions.find((a) => a.page === page && a.name === name);
    if (!action) throw new Error(`no ${name} action on ${page}`);
    const boundary = "----ReclaimFuzzSignIn";
    // As React sends it: the FormData's entries first, the argument list (part 0) last.
    const body = multipart([...Object.entries(fields).map(([k, value]) => ({ name: `_1_${k}`, value })), { name: "0", value: '[{"ok":false},"$K1"]' }], boundary);
    const res = await fetch(`${baseURL}${page}`, {
      method: "POST",
      redirect: "manual",
      headers: { accept: "text/x-component", "next-action": action.id, "content-type": `multipart/form-data; boundary=${boundary}`, origin: baseURL, cookie: cookie() },
      body: new Uint8Array(body),
    });
    const text = await res.text();
    if (process.env.FUZZ_DEBUG) console.log(name, res.status, [...res.headers].map(([k, v]) => `${k}: ${v.slice(0, 80)}`).join(" | "), text.slice(0, 400));
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(";")[0]!;
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
  };
  await post("/login", "sendCode", { country: "CN", number: "13800138000", terms: "on" });
  const outbox = (await (await fetch(`${baseURL}/api/dev/sms?to=%2B8613800138000`)).json()) as { messages: { body: string }[] };
  const code = /(?<!\d)\d{6}(?!\d)/.exec(outbox.messages[0]?.body ?? "")?.[0];
  if (!code) throw new Error("no sign-in code in the dev outbox");
  await post("/login/verify", "submitCode", { code });
  const me = await fetch(`${baseURL}/me`, { headers: { cookie: cookie() }, redirect: "manual" });
  if (me.status !== 200) throw new Error(`signing in failed: /me answered ${me.status}`);
  return cookie();
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    console.log("[fuzz] no production build: npm run build");
    const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error("build failed");
  }
  const appPort = await freePort();
  const partnerPort = await freePort();
  const baseURL = `http://127.0.0.1:${appPort}`;
  const partnerURL = `http://127.0.0.1:${partnerPort}`;
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), "reclaim-fuzz-db-"));
  const uploadsDir = mkdtempSync(path.join(os.tmpdir(), "reclaim-fuzz-uploads-"));
  // The test-run environment, with a PGlite directory we can read after.
  const appEnv = testServerEnv(baseURL, {
    PGLITE_DIR: pgliteDir,
    RECLAIM_TEST_CLOCK: "1",
    SANDBOX_PARTNER_URL: partnerURL,
    UPLOADS_DIR: uploadsDir,
  });

  const startApp = async () => {
    const app = start("app", ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(appPort)], appEnv);
    await waitFor(`${baseURL}/api/health`, app, 120_000);
    return app;
  };
  let exitCode = 0;
  try {
    const partner = start("partner", ["node_modules/tsx/dist/cli.mjs", "sandbox/partner/main.ts"], { PARTNER_PORT: String(partnerPort), RECLAIM_URL: baseURL });
    await waitFor(`${partnerURL}/health`, partner, 30_000);

    // Warm-up run: migrations, seed, the pages compiled once; then the baseline counts.
    let app = await startApp();
    for (const p of ["/", "/login", "/staff/login"]) await fetch(`${baseURL}${p}`).catch(() => {});
    await stop(app);
    const before = await countRows(pgliteDir);

    const actions = readActions();
    const ownerSignIn = actions.filter((a) => a.page === "/login" || a.page === "/login/verify");
    const staffSignIn = actions.filter((a) => a.page === "/staff/login");
    if (!actions.length || !ownerSignIn.length || !staffSignIn.length) throw new Error(`no server actions found in the build (${actions.length})`);
    console.log(`[fuzz] seed ${SEED}, ${PER_BOUNDARY} requests per boundary, ${CONCURRENCY} at a time, ${actions.length} action entries (${[...new Set(actions.map((a) => a.page))].join(", ")})`);
    const ctx: Context = { origin: baseURL, actions, ownerSignIn, staffSignIn };

    app = await startApp();
    let total5xx = 0;
    let totalHangs = 0;
    let totalSent = 0;
    let i = 0;
    for (const [name, make] of Object.entries(boundaries)) {
      i++;
      if (ONLY && !ONLY.has(name)) continue;
      const r = await runBoundary(name, make, ctx, appPort, (SEED + i * 7919) >>> 0);
      total5xx += r.fiveXX;
      totalHangs += r.hangs;
      totalSent += r.sent;
    }
    await stop(app);

    const after = await countRows(pgliteDir);
    const grown = Object.keys(after).filter((t) => !MAY_GROW.has(t) && after[t] !== (before[t] ?? 0));
    const changes = Object.keys(after)
      .filter((t) => after[t] !== (before[t] ?? 0))
      .map((t) => `${t} ${before[t] ?? 0}→${after[t]}`);
    console.log(`[fuzz] row counts changed: ${changes.length ? changes.join(", ") : "none"}`);

    // Last, signed in as the demo owner: hostile posts reach our own actions, past the session
    // check. Valid input may write here (a report, a batch), so no row counts; the session must
    // still be alive at the end, or the boundary tested nothing.
    const signedInName = "server actions (signed-in owner)";
    if (!ONLY || ONLY.has(signedInName)) {
      app = await startApp();
      ctx.cookie = await signInOwner(baseURL, actions);
      i++;
      const r = await runBoundary(signedInName, signedInAction, ctx, appPort, (SEED + i * 7919) >>> 0);
      total5xx += r.fiveXX;
      totalHangs += r.hangs;
      totalSent += r.sent;
      const me = await fetch(`${baseURL}/me`, { headers: { cookie: ctx.cookie }, redirect: "manual" });
      if (me.status !== 200) throw new Error(`the signed-in boundary ended signed out (/me answered ${me.status})`);
      await stop(app);
    }
    agent.destroy();

    console.log(`[fuzz] total: ${totalSent} requests, 5xx ${total5xx}, hangs ${totalHangs}, tables grown by refused input: ${grown.length ? grown.join(", ") : "none"}`);
    // .ci/run prints one summary line from this.
    if (process.env.CI_FUZZ_REPORT) writeFileSync(process.env.CI_FUZZ_REPORT, JSON.stringify({ fuzz: { sent: totalSent, fiveXX: total5xx, hangs: totalHangs, grown } }));
    if (total5xx || totalHangs || grown.length) exitCode = 1;
    if (exitCode) {
      const tail = ((app as ChildProcess & { tail?: string[] }).tail ?? []).join("");
      const errors = process.env.FUZZ_SERVER_LOG ? tail.split("\n").slice(-Number(process.env.FUZZ_SERVER_LOG)) : tail.split("\n").filter((l) => /error|Error/.test(l)).slice(-15);
      if (errors.length) console.log(`[fuzz] last server error lines:\n  ${errors.map((l) => l.slice(0, 300)).join("\n  ")}`);
    }
  } catch (error) {
    console.error("[fuzz] failed:", error);
    exitCode = 1;
  } finally {
    for (const child of started.slice().reverse()) await stop(child);
    rmSync(pgliteDir, { recursive: true, force: true });
    rmSync(uploadsDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

void main();
