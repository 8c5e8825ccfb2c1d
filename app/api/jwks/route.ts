import { route } from "@/lib/http/route";
import { publicJwks } from "@/lib/platforms/keys";

/** Served at /.well-known/jwks.json (next.config.ts rewrite): the keys attestations are signed with. */
export const GET = route("jwks", async () =>
  Response.json(await publicJwks(), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  }),
);
