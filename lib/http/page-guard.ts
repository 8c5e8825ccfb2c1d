/**
 * Requests to page routes (and the paths of API routes), judged before Next.js decodes them.
 *
 * A server action is a POST to a page URL whose body React decodes (`decodeReply`, or
 * `decodeAction` for a form posted without JavaScript) before any of our code runs. Next.js answers
 * every error in that decoding with a 500: a multipart body busboy cannot parse, a JSON argument
 * list that is not JSON, a reference to a part that was never sent ("Invalid forward reference",
 * "Connection closed"), a root that is not an argument list, a body over the action limit (which
 * the proxy's copy truncates, so the decoder sees half a form), a malformed router-state header.
 *
 * Our actions take what our own forms send: `(formData)` or `(previousState, formData)`, where the
 * state is the plain `ActionState` object. So the rule is an allow-list, not a re-implementation
 * of the decoder: parse the body as Next.js will (its own busboy for a fetch action, the platform's
 * FormData parser for a form posted without JavaScript), and accept only the reference forms those
 * arguments can produce. Anything else is refused with 400 (or 413 for size) and a bilingual line,
 * and never reaches the decoder.
 */
import { Readable } from "node:stream";
import busboy from "next/dist/compiled/busboy";
import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state";
import { readCappedBytes } from "./body";
import { ACTION_BODY_LIMIT_BYTES } from "./limits";

export type PageRefusal = { status: 400 | 413; reason: string };

/** Depth and size a legitimate argument list never comes near; React's own limit is 10⁶ slots. */
const MAX_DEPTH = 32;
const MAX_SLOTS = 20_000;
const MAX_CHUNK_CHARS = 512 * 1024;

const refuse = (reason: string, status: 400 | 413 = 400): PageRefusal => ({ status, reason });

/**
 * Judges one request to a page route. `null` means "let Next.js have it". Reads the body only for
 * a server action (a `Next-Action` header, or a multipart post that may be a form without
 * JavaScript); the proxy reads its own copy, so the page still receives the whole body.
 */
export async function judgePageRequest(request: Request, limit = ACTION_BODY_LIMIT_BYTES): Promise<PageRefusal | null> {
  const routerState = request.headers.get("next-router-state-tree");
  if (routerState !== null) {
    try {
      parseAndValidateFlightRouterState(routerState);
    } catch {
      return refuse("router-state");
    }
  }
  if (request.method !== "POST") return null;

  const actionId = request.headers.get("next-action");
  const contentType = request.headers.get("content-type") ?? "";
  const multipart = contentType.toLowerCase().startsWith("multipart/form-data");
  if (actionId === null && !multipart) return null; // not an action: Next.js renders the page
  // An id of the wrong form is Next.js's 400, an unknown one its 409; an empty one is its invariant.
  if (actionId !== null && !/^[0-9a-f]{1,64}$/i.test(actionId)) return refuse("action-id");

  const read = await readCappedBytes(request, limit);
  if (!read.ok) return refuse(read.status === 413 ? "too-large" : "body", read.status);

  if (actionId !== null) {
    if (!multipart) {
      // A reply without FormData: the argument list as JSON text, all of it chunk 0.
      const text = Buffer.from(read.bytes).toString("utf-8");
      return checkReply(new Map([[0, text]]), { formData: false, promises: false });
    }
    const parsed = await parseWithBusboy(read.bytes, contentType, limit);
    if (!parsed) return refuse("multipart");
    return checkReply(parsed, { formData: true, promises: false });
  }

  // Multipart without the header: possibly a form posted before JavaScript loaded.
  let form: FormData;
  try {
    form = await new Request("http://reclaim.invalid/", { method: "POST", headers: { "content-type": contentType }, body: Buffer.from(read.bytes) }).formData();
  } catch {
    return refuse("multipart");
  }
  for (const key of form.keys()) {
    if (!key.startsWith("$ACTION_REF_")) continue;
    // The bound form of an action: `$ACTION_<n>:0` = {"id": …, "bound": "$@1" | null}, and its parts.
    const prefix = `$ACTION_${key.slice("$ACTION_REF_".length)}:`;
    const chunks = new Map<number, string>();
    for (const [name, value] of form) {
      if (!name.startsWith(prefix)) continue;
      const id = Number(name.slice(prefix.length));
      if (typeof value !== "string" || Number.isNaN(id) || chunks.has(id)) return refuse("action-parts");
      chunks.set(id, value);
    }
    const verdict = checkReply(chunks, { formData: false, promises: true, root: "bound-action" });
    if (verdict) return verdict;
  }
  return null;
}

/** Every segment percent-decodes to valid UTF-8 (what Next.js's own decoding requires). */
export function decodablePath(pathname: string): boolean {
  if (!pathname.includes("%")) return true;
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * The fields of a multipart action body, keyed as React keys its parts (`+name`), exactly as
 * Next.js's busboy will see them. `null` when the body does not parse, a part id repeats (React
 * would resolve one part twice) or the root (part 0) is missing or a file.
 */
async function parseWithBusboy(bytes: Uint8Array, contentType: string, limit: number): Promise<Map<number, string> | null> {
  return new Promise((resolve) => {
    const parts = new Map<number, string>();
    let ok = true;
    let parser: ReturnType<typeof busboy>;
    try {
      parser = busboy({ defParamCharset: "utf8", headers: { "content-type": contentType }, limits: { fieldSize: limit } });
    } catch {
      resolve(null);
      return;
    }
    parser.on("field", (name: string | undefined, value: string) => {
      // busboy reports an empty name as undefined, which React's decoder cannot read.
      if (typeof name !== "string") ok = false;
      const id = Number(name);
      if (Number.isNaN(id)) return;
      if (parts.has(id)) ok = false;
      parts.set(id, value);
    });
    parser.on("file", (name: string | undefined, stream: Readable) => {
      // A file where React expects a part of the argument list, or a name it cannot read.
      if (typeof name !== "string" || !Number.isNaN(Number(name))) ok = false;
      stream.resume();
    });
    parser.on("error", () => resolve(null));
    parser.on("close", () => resolve(ok && parts.has(0) ? parts : null));
    Readable.from([Buffer.from(bytes)]).pipe(parser);
  });
}

type ReplyOptions = { formData: boolean; promises: boolean; root?: "arguments" | "bound-action" };

/** Accepts a reply whose every part parses and whose every `$` string is one our forms can send. */
function checkReply(parts: Map<number, string>, options: ReplyOptions): PageRefusal | null {
  const values = new Map<number, unknown>();
  const parse = (id: number): unknown => {
    if (values.has(id)) return values.get(id);
    const text = parts.get(id);
    if (text === undefined) throw new Refused("missing-part");
    if (text.length > MAX_CHUNK_CHARS) throw new Refused("too-large");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Refused("json");
    }
    values.set(id, value);
    return value;
  };
  let slots = 0;
  const walk = (value: unknown, depth: number, path: Set<number>) => {
    if (depth > MAX_DEPTH) throw new Refused("depth");
    if (typeof value === "string") {
      checkToken(value, options, (id) => {
        if (path.has(id)) throw new Refused("cycle");
        const next = new Set(path).add(id);
        const part = parse(id);
        if (!Array.isArray(part)) throw new Refused("bound-arguments");
        walk(part, depth + 1, next);
      });
      return;
    }
    if (value === null || typeof value !== "object") return;
    const children = Array.isArray(value) ? value : Object.values(value);
    slots += children.length;
    if (slots > MAX_SLOTS) throw new Refused("too-large");
    for (const child of children) walk(child, depth + 1, path);
  };
  try {
    const root = parse(0);
    if ((options.root ?? "arguments") === "arguments") {
      if (!Array.isArray(root)) throw new Refused("arguments");
    } else {
      const meta = root as { id?: unknown; bound?: unknown } | null;
      if (meta === null || typeof meta !== "object" || Array.isArray(meta) || typeof meta.id !== "string") throw new Refused("bound-action");
      if (meta.bound !== null && !(typeof meta.bound === "string" && meta.bound.startsWith("$@"))) throw new Refused("bound-action");
    }
    walk(root, 0, new Set([0]));
  } catch (error) {
    if (error instanceof Refused) return refuse(error.reason, error.reason === "too-large" ? 413 : 400);
    throw error;
  }
  return null;
}

class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The `$` forms React's reply encoder writes for our arguments: `$$…` (a string that began with
 * `$`), `$K<n>` (FormData), `$u…` (undefined), `$D…` (a date), `$n<digits>` (a bigint), `$I…`,
 * `$N…`, `$-…` (±Infinity, NaN, -0) and, in a form posted without JavaScript, `$@<n>` (the bound
 * arguments). Outlined parts (`$1`, `$1:a:b`), Maps, Sets, blobs, streams, server references and
 * temporary references are never in our arguments, and are where the decoder's 500s come from.
 */
function checkToken(value: string, options: ReplyOptions, follow: (id: number) => void) {
  if (value[0] !== "$") return;
  const tag = value[1];
  switch (tag) {
    case "$":
    case "u":
    case "D":
    case "I":
    case "N":
    case "-":
      return;
    case "K":
      if (options.formData && /^\$K[0-9a-f]{1,8}$/.test(value)) return;
      break;
    case "n":
      if (/^\$n-?\d{1,300}$/.test(value)) return;
      break;
    case "@":
      if (options.promises && /^\$@[0-9a-f]{1,8}$/.test(value)) return follow(parseInt(value.slice(2), 16));
      break;
  }
  throw new Refused("reference");
}
