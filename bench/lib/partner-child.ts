// The reference partner server in a process of its own, for benches (bench/lib/partner-process.ts):
// a platform is another machine, so it must not share the bench's one Node thread. Options arrive
// as JSON in argv; the parent asks for counts over IPC.
import { startPartnerServer } from "../../sandbox/partner/server";
import type { PartnerServerOptions } from "../../sandbox/partner/types";

type ChildOptions = Omit<PartnerServerOptions, "random"> & { failureRate?: number };

async function main() {
  const { failureRate = 0, ...options } = JSON.parse(process.argv[2]!) as ChildOptions;
  let errors503 = 0;
  const server = await startPartnerServer({
    ...options,
    // Drawn only for the error-rate knob: a draw under the rate is a 503.
    random: () => {
      const r = Math.random();
      if (r < failureRate) errors503++;
      return r;
    },
  });
  process.on("message", (message: { id: number; type: "stats" | "close" }) => {
    if (message.type === "stats") process.send!({ id: message.id, stats: server.stats(), errors503 });
    else void server.close().then(() => process.send!({ id: message.id }, () => process.exit(0)));
  });
  process.send!({ id: 0, url: server.url });
}

void main();
