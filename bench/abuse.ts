import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { haveBuild, startApp, type RunningApp } from "./lib/server";

/**
 * What a hostile client can cost the service (issue 11), against the production build:
 * 1. memory of the app while four clients each post 100 MB (chunked, no Content-Length) and one
 *    posts 600 MB with a Content-Length, to a partner callback route;
 * 2. `/api/health` latency while 200 clients try random staff passwords.
 * Prints figures; asserts nothing (speed targets live here, not in tests).
 */
const MB = 1024 * 1024;

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))?.[1] ?? 0) / 1024;
  return { rss: Math.round(kb("VmRSS")), peak: Math.round(kb("VmHWM")) };
}

/** Streams `total` bytes of JSON-ish filler; resolves with the status (or "reset" when the server hangs up). */
function hugePost(base: string, path: string, total: number, declareLength: boolean): Promise<string> {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", ...(declareLength ? { "content-length": String(total) } : {}) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(String(res.statusCode)));
      },
    );
    req.on("error", () => resolve("reset"));
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

async function memory(app: RunningApp) {
  const before = rssMb(app.pid);
  let peak = before.rss;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(app.pid).rss)), 20);
  const started = performance.now();
  const answers = await Promise.all([
    ...Array.from({ length: 4 }, () => hugePost(app.base, "/api/partner/v1/unbind-results", 100 * MB, false)),
    hugePost(app.base, "/api/partner/v1/unbind-results", 600 * MB, true),
  ]);
  clearInterval(sampler);
  console.log(
    `  4 × 100 MB chunked + 1 × 600 MB declared posts: answers ${answers.join(", ")}; app RSS ${before.rss} MB before, peak ${peak} MB during, ${rssMb(app.pid).rss} MB after; ${Math.round(performance.now() - started)} ms`,
  );
}

function staffActionId(): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string; filename?: string }> };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === "staffSignIn");
  if (!entry) throw new Error("staffSignIn is not in the build");
  return entry[0];
}

async function healthUnderPasswordFlood(app: RunningApp) {
  const id = staffActionId();
  let stop = false;
  let attempts = 0;
  const client = async (n: number) => {
    while (!stop) {
      const boundary = `----b${randomBytes(6).toString("hex")}`;
      const fields = { email: `nobody-${n}-${attempts}@example.com`, password: randomBytes(8).toString("hex") };
      const parts = [...Object.entries(fields).map(([k, v]) => [`_1_${k}`, v]), ["0", '[{"ok":false},"$K1"]']];
      const body = parts.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`;
      await fetch(`${app.base}/staff/login`, {
        method: "POST",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, accept: "text/x-component", "next-action": id, origin: app.base, "x-forwarded-for": `198.18.${n >> 8}.${n & 255}` },
        body,
      })
        .then((r) => r.arrayBuffer())
        .catch(() => null);
      attempts++;
    }
  };
  const clients = Array.from({ length: 200 }, (_, n) => client(n));
  await new Promise((r) => setTimeout(r, 2000));
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await fetch(`${app.base}/api/health`).then((r) => r.arrayBuffer());
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 100));
  }
  stop = true;
  await Promise.all(clients);
  times.sort((a, b) => a - b);
  const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
  console.log(`  /api/health while 200 clients try staff passwords: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms (${attempts} sign-in attempts in ~6 s)`);
}

async function main() {
  console.log("bench/abuse: what hostile clients cost (production build, PGlite)");
  if (!haveBuild()) {
    console.log("  skipped: no production build (run `npm run build` first)");
    return;
  }
  // Each client address is its own: the bench measures the cost of hashing, not the throttle's refusals.
  const app = await startApp({ TRUSTED_PROXY_HOPS: "1" });
  try {
    await memory(app);
    await healthUnderPasswordFlood(app);
  } finally {
    await app.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
