import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { z } from "zod";
import { platformSeed, sandboxBindings, sandboxSigningSecret } from "../../db/seed-data";
import { signatureHeaders, verify } from "../../lib/platforms/signing";

/**
 * The reference partner server: the platforms' side of partner protocol v1, for any number of
 * sandbox platforms at `/{slug}/…`. It is what a platform would run, written against the protocol
 * document rather than against Reclaim's code: it checks our signatures (401 when they are wrong),
 * keeps its own account records, and answers with signed, explicit enums.
 *
 * Knobs per platform make it misbehave on purpose: latency (fixed or uniform between min and max),
 * an error rate (503), hang (accepts the request and never answers) and bad-signature mode (signs
 * its answers with a secret Reclaim does not know). Tests and `npm run dev` start it; so does
 * `bench/lookup.ts`.
 */

export const MAX_BODY_BYTES = 20 * 1024;

export interface PlatformKnobs {
  latencyMs?: number | { min: number; max: number };
  /** 0…1: the share of requests answered 503. */
  errorRate?: number;
  /** Take the request and never answer. */
  hang?: boolean;
  /** Sign answers with a wrong secret. */
  badSignature?: boolean;
}

export interface SandboxPlatform {
  slug: string;
  secret: string;
  knobs?: PlatformKnobs;
}

export interface PartnerServerOptions {
  port?: number;
  host?: string;
  /** Defaults to the seeded sandbox platforms with their derived secrets. */
  platforms?: SandboxPlatform[];
  /** number → slug → when that platform's account on the number was created (ISO). */
  bindings?: Record<string, Record<string, string>>;
  random?: () => number;
  now?: () => Date;
}

export interface PartnerStats {
  /** Requests received per `slug path`, e.g. `linkup-chat /lookup`. */
  requests: Record<string, number>;
  /** Requests refused because our signature did not verify. */
  rejectedSignatures: number;
}

export interface PartnerServer {
  url: string;
  port: number;
  setKnobs(slug: string | "*", knobs: PlatformKnobs): void;
  reset(): void;
  stats(): PartnerStats;
  close(): Promise<void>;
}

export function seededSandboxPlatforms(): SandboxPlatform[] {
  return platformSeed.map((p) => ({ slug: p.slug, secret: sandboxSigningSecret(p.slug) }));
}

const knobsSchema = z
  .object({
    latencyMs: z.union([z.number().min(0), z.object({ min: z.number().min(0), max: z.number().min(0) })]).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    hang: z.boolean().optional(),
    badSignature: z.boolean().optional(),
  })
  .strict();
const controlSchema = z.object({ slug: z.string().optional(), knobs: knobsSchema.optional() });

const WRONG_SECRET = "whsec_" + Buffer.from("not-the-secret-reclaim-knows-about").toString("base64");

export async function startPartnerServer(options: PartnerServerOptions = {}): Promise<PartnerServer> {
  const platforms = new Map((options.platforms ?? seededSandboxPlatforms()).map((p) => [p.slug, { ...p, knobs: { ...p.knobs } }]));
  const initialKnobs = new Map([...platforms].map(([slug, p]) => [slug, { ...p.knobs }]));
  const bindings = options.bindings ?? sandboxBindings;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stats: PartnerStats = { requests: {}, rejectedSignatures: 0 };

  function delay(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  function latencyOf(knobs: PlatformKnobs): number {
    const l = knobs.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === "number") return l;
    return l.min + random() * (l.max - l.min);
  }

  /** `signed`: sign the answer with this secret under the request's webhook-id (protocol v1). */
  function sendJson(res: ServerResponse, status: number, body: unknown, signed?: { secret: string; id: string }) {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (signed) Object.assign(headers, signatureHeaders(signed.secret, text, { id: signed.id, now: now() }));
    res.writeHead(status, headers).end(text);
  }

  async function readBody(req: IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  async function control(req: IncomingMessage, res: ServerResponse, action: string) {
    if (action === "stats" && req.method === "GET") return sendJson(res, 200, stats);
    if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });
    if (action === "reset") {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (action === "knobs") {
      const raw = await readBody(req);
      if (raw === null) return sendJson(res, 413, { error: "body_too_large" });
      let parsed: ReturnType<typeof controlSchema.safeParse>;
      try {
        parsed = controlSchema.safeParse(JSON.parse(raw || "{}"));
      } catch {
        return sendJson(res, 400, { error: "invalid_json" });
      }
      if (!parsed.success) return sendJson(res, 400, { error: "invalid_knobs" });
      setKnobs(parsed.data.slug ?? "*", parsed.data.knobs ?? {});
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: "not_found" });
  }

  function setKnobs(slug: string, knobs: PlatformKnobs) {
    for (const [s, p] of platforms) if (slug === "*" || s === slug) p.knobs = { ...knobs };
  }

  function reset() {
    for (const [slug, p] of platforms) p.knobs = { ...initialKnobs.get(slug) };
    stats = { requests: {}, rejectedSignatures: 0 };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const [, slug, ...rest] = url.pathname.split("/");
    if (slug === "_control") return control(req, res, rest.join("/"));
    if (slug === "health") return sendJson(res, 200, { ok: true, platforms: platforms.size });
    const platform = slug ? platforms.get(slug) : undefined;
    if (!platform) return sendJson(res, 404, { error: "unknown_platform" });
    const path = `/${rest.join("/")}`;
    if (req.method !== "POST") return sendJson(res, 405, { error: "method_not_allowed" });

    const body = await readBody(req);
    if (body === null) return sendJson(res, 413, { error: "body_too_large" });
    const key = `${slug} ${path}`;
    stats.requests[key] = (stats.requests[key] ?? 0) + 1;
    const verified = verify(platform.secret, req.headers, body, { now: now() });
    if (!verified.ok) {
      stats.rejectedSignatures++;
      return sendJson(res, 401, { error: "bad_signature", reason: verified.reason });
    }

    const knobs = platform.knobs;
    if (knobs.hang) return; // The socket stays open until the caller gives up or we close.
    const wait = latencyOf(knobs);
    if (wait > 0) await delay(wait);
    if (knobs.errorRate && random() < knobs.errorRate) return sendJson(res, 503, { error: "unavailable" });
    const answerSecret = knobs.badSignature ? WRONG_SECRET : platform.secret;

    if (path === "/lookup") {
      let input: { number?: unknown; tenureStart?: unknown };
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        return sendJson(res, 400, { error: "invalid_json" });
      }
      const tenureStart = typeof input.tenureStart === "string" ? new Date(input.tenureStart) : null;
      if (typeof input.number !== "string" || !/^\+[1-9]\d{6,14}$/.test(input.number) || !tenureStart || Number.isNaN(tenureStart.getTime())) {
        return sendJson(res, 400, { error: "invalid_body" });
      }
      const createdAt = bindings[input.number]?.[platform.slug];
      const status = !createdAt ? "not_bound" : new Date(createdAt) < tenureStart ? "bound_before_tenure" : "bound_since_tenure";
      return sendJson(res, 200, { status }, { secret: answerSecret, id: verified.id });
    }
    return sendJson(res, 404, { error: "unknown_endpoint" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: "internal" });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port, address } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    port,
    setKnobs,
    reset,
    stats: () => structuredClone(stats),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
