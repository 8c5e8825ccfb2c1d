import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

/** The sign-in server actions the benches call over HTTP. */
export interface ActionIds {
  sendCode: string;
  submitCode: string;
}

/** The server action ids of this build, from Next's manifest (they change with every build). */
export function actionIds(): ActionIds {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const find = (name: string) => {
    const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === name && v.filename?.endsWith("login/actions.ts"));
    if (!entry) throw new Error(`server action ${name} of login/actions.ts is not in the build`);
    return entry[0];
  };
  return { sendCode: find("sendCode"), submitCode: find("submitCode") };
}

/**
 * A server action call as the browser makes it (recorded once from Chromium): multipart fields
 * prefixed `_1_`, then field `0` holding the encoded arguments `[prevState, $K1 = the form data]`.
 */
export function actionRequest(base: string, actionId: string, fields: Record<string, string>, ip: string, cookie?: string) {
  const boundary = `----bench${randomBytes(8).toString("hex")}`;
  const parts = [...Object.entries(fields).map(([k, v]) => [`_1_${k}`, v]), ["0", '[{"ok":false},"$K1"]']];
  const body =
    parts.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") +
    `--${boundary}--\r\n`;
  const headers: Record<string, string> = {
    "content-type": `multipart/form-data; boundary=${boundary}`,
    accept: "text/x-component",
    "next-action": actionId,
    // The proxy refuses action calls without the app's own Origin.
    origin: base,
    "x-forwarded-for": ip,
  };
  if (cookie) headers.cookie = cookie;
  return { headers, body };
}
