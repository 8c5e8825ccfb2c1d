import "server-only";
import { SmsSendError, type SmsMessage, type SmsProvider, type SmsResult } from "./types";
import { providerRequest, readJson } from "./http";

/** Twilio Programmable SMS, `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`. */
export interface TwilioConfig {
  accountSid: string;
  /** Needed unless `apiKey` is set: an API key lets a deployment run without the master token. */
  authToken?: string;
  /** Standard or restricted API key (SK…); when set it is used for Basic auth instead of the token. */
  apiKey?: { sid: string; secret: string };
  /** A messaging service picks the sender itself (pools, geo-match), so it wins over a fixed number. */
  sender: { messagingServiceSid: string } | { from: string };
  /** Default https://api.twilio.com; tests point it at a local stub. */
  baseUrl?: string;
}

export interface TwilioDeps {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const DEFAULT_BASE_URL = "https://api.twilio.com";
const DEFAULT_TIMEOUT_MS = 10_000;

export function createTwilioProvider(config: TwilioConfig, deps: TwilioDeps = {}): SmsProvider {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = `${trimSlash(config.baseUrl ?? DEFAULT_BASE_URL)}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = basicAuth(config);

  return {
    name: "twilio",
    async send(message: SmsMessage): Promise<SmsResult> {
      const response = await providerRequest("twilio", doFetch, url, {
        method: "POST",
        headers: {
          Authorization: authorization,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
        },
        body: formBody(config, message),
        signal: AbortSignal.timeout(timeoutMs),
      }, timeoutMs);
      const json = await readJson(response);
      if (!response.ok) throw new SmsSendError("twilio", twilioReason(json), response.status);
      const sid = isRecord(json) && typeof json.sid === "string" ? json.sid : undefined;
      return { providerMessageId: sid };
    },
  };
}

/** Reads the Twilio variables; throws one error naming everything that is missing. */
export function twilioConfigFromEnv(env: Readonly<Record<string, unknown>>): TwilioConfig {
  const get = (name: string) => {
    const value = env[name];
    return typeof value === "string" ? value.trim() || undefined : undefined;
  };
  const accountSid = get("TWILIO_ACCOUNT_SID");
  const authToken = get("TWILIO_AUTH_TOKEN");
  const apiKeySid = get("TWILIO_API_KEY_SID");
  const apiKeySecret = get("TWILIO_API_KEY_SECRET");
  const from = get("TWILIO_FROM");
  const messagingServiceSid = get("TWILIO_MESSAGING_SERVICE_SID");

  const missing: string[] = [];
  if (!accountSid) missing.push("TWILIO_ACCOUNT_SID");
  // The key pair only counts when complete; half a pair is a mistake worth naming.
  if (apiKeySid && !apiKeySecret) missing.push("TWILIO_API_KEY_SECRET");
  if (apiKeySecret && !apiKeySid) missing.push("TWILIO_API_KEY_SID");
  if (!authToken && !(apiKeySid && apiKeySecret)) missing.push("TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID + TWILIO_API_KEY_SECRET)");
  if (!from && !messagingServiceSid) missing.push("one of TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID");
  if (missing.length > 0 || !accountSid) {
    throw new Error(`Twilio SMS is not configured: missing ${missing.join(", ")}.`);
  }

  return {
    accountSid,
    authToken,
    apiKey: apiKeySid && apiKeySecret ? { sid: apiKeySid, secret: apiKeySecret } : undefined,
    sender: messagingServiceSid ? { messagingServiceSid } : { from: from ?? "" },
    baseUrl: get("TWILIO_BASE_URL"),
  };
}

function basicAuth(config: TwilioConfig): string {
  const [user, password] = config.apiKey
    ? [config.apiKey.sid, config.apiKey.secret]
    : [config.accountSid, config.authToken ?? ""];
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

function formBody(config: TwilioConfig, message: SmsMessage): string {
  const form = new URLSearchParams({ To: message.to, Body: message.body });
  if ("messagingServiceSid" in config.sender) form.set("MessagingServiceSid", config.sender.messagingServiceSid);
  else form.set("From", config.sender.from);
  return form.toString();
}

/**
 * Twilio's error JSON is `{ code, message, more_info, status }`. The message can quote the
 * recipient's number, so digit runs are masked; the body text itself never comes back.
 */
function twilioReason(json: unknown): string {
  if (!isRecord(json)) return "unreadable error answer";
  const code = typeof json.code === "number" || typeof json.code === "string" ? String(json.code) : undefined;
  const text = typeof json.message === "string" ? maskDigits(json.message).slice(0, 200) : undefined;
  if (code && text) return `Twilio error ${code}: ${text}`;
  if (code) return `Twilio error ${code}`;
  return text ?? "error answer without a code";
}




function maskDigits(text: string): string {
  return text.replace(/\+?\d[\d\s-]{3,}\d/g, "…");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
