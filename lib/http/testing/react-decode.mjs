// Decodes server-action bodies the way Next.js's action handler does (React's reply decoder, with
// Next's busboy for multipart), for lib/http/page-guard.test.ts. Run with
// `node --conditions=react-server`; reads [{ contentType, base64 }] on stdin and prints, per body,
// "array" (what an action can be called with), "not-array", or "error: <message>".
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "next/dist/compiled/busboy/index.js";
import server from "next/dist/compiled/react-server-dom-webpack/server.node.js";

const within = (promise) => Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("hang")), 2000))]);

async function decode({ contentType, base64 }) {
  const bytes = Buffer.from(base64, "base64");
  const options = { temporaryReferences: server.createTemporaryReferenceSet() };
  if (!contentType.startsWith("multipart/form-data")) return server.decodeReply(bytes.toString("utf-8"), {}, options);
  const parser = busboy({ defParamCharset: "utf8", headers: { "content-type": contentType }, limits: { fieldSize: 16 * 1024 * 1024 } });
  const [, args] = await Promise.all([pipeline(Readable.from([bytes]), parser), server.decodeReplyFromBusboy(parser, {}, options)]);
  return args;
}

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const out = [];
  for (const body of JSON.parse(input)) {
    try {
      const args = await within(decode(body));
      out.push(Array.isArray(args) ? "array" : "not-array");
    } catch (error) {
      out.push(`error: ${String(error && error.message).slice(0, 80)}`);
    }
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
});
