// Next.js ships its busboy copy without types; lib/http/page-guard.ts parses action bodies with
// it so that what the proxy accepts is exactly what the action decoder will parse.
declare module "next/dist/compiled/busboy" {
  import type { Writable } from "node:stream";
  interface BusboyConfig {
    headers: Record<string, string>;
    defParamCharset?: string;
    limits?: { fieldSize?: number };
  }
  export default function busboy(config: BusboyConfig): Writable;
}
