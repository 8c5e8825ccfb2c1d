import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { sandboxBindings } from "../../db/seed-data";
import { resolveJwks } from "./attestation";
import { reply, type PartnerContext } from "./context";
import { route } from "./router";
import { PartnerState, seededSandboxPlatforms } from "./state";
import type { PartnerServer, PartnerServerOptions } from "./types";

/**
 * The reference partner server: the platforms' side of partner protocol v1, for any number of
 * sandbox platforms at `/{slug}/…`. It is what a platform would run, written against the protocol
 * document rather than against Reclaim's code: it checks our signatures (401 when they are wrong),
 * keeps its own account records, and answers with signed, explicit enums.
 *
 * Three endpoints per platform, one handler each in `handlers/`:
 * - `POST /{slug}/lookup` answers `bound_before_tenure | bound_since_tenure | not_bound` from the
 *   platform's records.
 * - `POST /{slug}/unbind` verifies the attestation (ES256, against Reclaim's JWKS), answers 202 and,
 *   after a per-platform delay, reports the outcome to Reclaim's `unbind-results` endpoint with a
 *   signed callback (retried a few times if Reclaim does not take it). An `unbound` outcome removes
 *   the binding from the platform's records, so later look-ups answer `not_bound`.
 * - `POST /{slug}/wrong-party-reports` takes a report of a message the platform (or its debt
 *   collector) sent to a number's new owner, answers 202, and reports back what it did to
 *   Reclaim's `report-results` endpoint: by default `acknowledged`, then `contact_stopped`.
 *
 * Knobs per platform (`knobs.ts`) make it misbehave on purpose: latency (fixed or uniform between
 * min and max), an error rate (503), hang (accepts the request and never answers), gone (410 to
 * everything), bad-signature mode (signs its answers and callbacks with a secret Reclaim does not
 * know) and the unbind outcome, delay and duplicate callbacks. Knobs, account records and counts
 * can also be kept per number (`state.ts`), so that tests running at once do not share them.
 * `router.ts` routes; `handlers/control.ts` serves `/_control`. Tests and `npm run dev` start it
 * (`main.ts` reads its settings from the environment, `env.ts`); so do the benches.
 */
export async function startPartnerServer(options: PartnerServerOptions = {}): Promise<PartnerServer> {
  const state = new PartnerState(options.platforms ?? seededSandboxPlatforms(), options.bindings ?? sandboxBindings);
  const callbackUrl = options.callbackUrl || undefined;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const ctx: PartnerContext = {
    state,
    now: options.now ?? (() => new Date()),
    random: options.random ?? Math.random,
    callbackUrl,
    jwks: resolveJwks(options.jwks, callbackUrl),
    issuer: options.issuer,
    delay: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
  };

  const server = createServer((req, res) => {
    route(ctx, req, res).catch(() => {
      if (!res.headersSent) reply(ctx, res, 500, { error: "internal" });
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
    callbackUrl,
    setKnobs: (slug, knobs, scope) => state.setKnobs(slug, knobs, scope),
    setBindings: (number, accounts) => state.setBindings(number, accounts),
    reset: (scope) => state.reset(scope),
    stats: (scope) => state.stats(scope),
    pendingCallbacks: () => state.pendingCallbacks(),
    async close() {
      state.abortAll();
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { seededSandboxPlatforms } from "./state";
export {
  CALLBACK_ATTEMPTS,
  CALLBACK_RETRY_MS,
  DEFAULT_NOTICE_DAYS,
  DEFAULT_OWNER_INSTRUCTIONS,
  DEFAULT_REPORT_STATUSES,
  DEFAULT_UNBIND_DELAY_MS,
  MAX_BODY_BYTES,
  REPORT_RESULTS_PATH,
  UNBIND_RESULTS_PATH,
} from "./protocol";
export type * from "./types";
