/**
 * Inbound bodies are read with a hard cap, as a stream: a `Content-Length` over the cap is refused
 * before a byte is read, and a body without one (chunked) is refused as soon as the running count
 * passes the cap, so a hostile 600 MB post costs at most `maxBytes` of memory.
 */
export type BodyResult = { ok: true; text: string; bytes: Uint8Array } | { ok: false; status: 413 | 400; error: "body_too_large" | "bad_body" };

export type BytesResult = { ok: true; bytes: Uint8Array } | { ok: false; status: 413 | 400; error: "body_too_large" | "bad_body" };

/** The body's bytes, under the cap (see above). */
export async function readCappedBytes(request: Request, maxBytes: number): Promise<BytesResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    if (!/^\d{1,16}$/.test(declared.trim())) return { ok: false, status: 400, error: "bad_body" };
    if (Number(declared) > maxBytes) {
      await request.body?.cancel().catch(() => {});
      return { ok: false, status: 413, error: "body_too_large" };
    }
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, status: 413, error: "body_too_large" };
      }
      chunks.push(value);
    }
  } catch {
    // The client went away or sent a broken stream: nothing to judge.
    return { ok: false, status: 400, error: "bad_body" };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** The body as UTF-8 text, under the cap; bytes that are not UTF-8 are a bad body. */
export async function readCappedBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const read = await readCappedBytes(request, maxBytes);
  if (!read.ok) return read;
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(read.bytes), bytes: read.bytes };
  } catch {
    return { ok: false, status: 400, error: "bad_body" };
  }
}
