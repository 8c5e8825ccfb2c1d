import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTwilioProvider, twilioConfigFromEnv, type TwilioConfig } from "./twilio";
import type { SmsMessage } from "./types";
import { close, listen, sendError, unusedUrl } from "./testing";

const ACCOUNT_SID = "AC00000000000000000000000000000001";
const AUTH_TOKEN = "test-auth-token";
const CODE = "482913";

const message: SmsMessage = {
  to: "+14155550100",
  body: `Your Reclaim code is ${CODE}. It expires in 10 minutes.`,
  locale: "en",
  template: { kind: "otp", params: { code: CODE, minutes: "10" } },
};

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  form: URLSearchParams;
}

type Answer = { status: number; body: string };

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let answer: (request: Seen) => Answer;

/** Answers like Twilio: 401 unless the Basic credentials match what this test configured. */
function expectedBasic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const request: Seen = {
    method: req.method,
    url: req.url,
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
    form: new URLSearchParams(await readBody(req)),
  };
  seen.push(request);
  const { status, body } = answer(request);
  res.writeHead(status, { "Content-Type": "application/json" }).end(body);
}

function config(overrides: Partial<TwilioConfig> = {}): TwilioConfig {
  return { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, sender: { from: "+15005550006" }, baseUrl, ...overrides };
}

function twilioLike(expectedAuth: string) {
  return (request: Seen): Answer => {
    if (request.method !== "POST" || request.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
      return { status: 404, body: JSON.stringify({ code: 20404, message: "The requested resource was not found", status: 404 }) };
    }
    if (request.authorization !== expectedAuth) {
      return { status: 401, body: JSON.stringify({ code: 20003, message: "Authenticate", status: 401 }) };
    }
    return { status: 201, body: JSON.stringify({ sid: "SM0123456789abcdef0123456789abcdef", status: "queued" }) };
  };
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  baseUrl = await listen(server);
});

afterAll(async () => {
  await close(server);
});

beforeEach(() => {
  seen = [];
  answer = twilioLike(expectedBasic(ACCOUNT_SID, AUTH_TOKEN));
});


describe("twilio provider", () => {
  it("posts a form with To, Body and From under Basic auth with the account SID and token", async () => {
    const result = await createTwilioProvider(config()).send(message);

    expect(result).toEqual({ providerMessageId: "SM0123456789abcdef0123456789abcdef" });
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.authorization).toBe(expectedBasic(ACCOUNT_SID, AUTH_TOKEN));
    expect(request.contentType).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request.form)).toEqual({ To: "+14155550100", Body: message.body, From: "+15005550006" });
  });

  it("sends MessagingServiceSid instead of From when a messaging service is configured", async () => {
    await createTwilioProvider(config({ sender: { messagingServiceSid: "MG0000000000000000000000000000000a" } })).send(message);

    const form = seen[0]!.form;
    expect(form.get("MessagingServiceSid")).toBe("MG0000000000000000000000000000000a");
    expect(form.has("From")).toBe(false);
  });

  it("authenticates with the API key pair when one is configured, still under the account's URL", async () => {
    answer = twilioLike(expectedBasic("SK00000000000000000000000000000001", "key-secret"));
    const provider = createTwilioProvider(
      config({ authToken: undefined, apiKey: { sid: "SK00000000000000000000000000000001", secret: "key-secret" } }),
    );

    await expect(provider.send(message)).resolves.toEqual({ providerMessageId: "SM0123456789abcdef0123456789abcdef" });
    expect(seen[0]!.authorization).toBe(expectedBasic("SK00000000000000000000000000000001", "key-secret"));
  });

  it("turns a Twilio error into SmsSendError with the Twilio code and status, never the body, code or number", async () => {
    answer = () => ({
      status: 400,
      body: JSON.stringify({
        code: 21211,
        message: "The 'To' number +14155550100 is not a valid phone number.",
        more_info: "https://www.twilio.com/docs/errors/21211",
        status: 400,
      }),
    });

    const error = await sendError(createTwilioProvider(config()).send(message));
    expect(error.provider).toBe("twilio");
    expect(error.status).toBe(400);
    expect(error.reason).toContain("21211");
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain("4155550100");
    expect(error.message).not.toContain("Reclaim code");
  });

  it("rejects wrong credentials the way Twilio does (the stub really checks the header)", async () => {
    const error = await sendError(createTwilioProvider(config({ authToken: "wrong" })).send(message));
    expect(error.status).toBe(401);
    expect(error.reason).toContain("20003");
  });

  it("never repeats a non-JSON error body", async () => {
    answer = () => ({ status: 502, body: `<html>upstream said ${CODE}</html>` });
    const error = await sendError(createTwilioProvider(config()).send(message));
    expect(error.status).toBe(502);
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain("upstream");
  });

  it("turns an unreachable server into SmsSendError", async () => {
    const unreachable = await unusedUrl();

    const error = await sendError(createTwilioProvider(config({ baseUrl: unreachable })).send(message));
    expect(error.reason).toMatch(/network error/);
    expect(error.status).toBeUndefined();
  });

  it("gives up after the timeout", async () => {
    const hanging = createServer(() => undefined);
    const url = await listen(hanging);
    try {
      const error = await sendError(createTwilioProvider(config({ baseUrl: url }), { timeoutMs: 100 }).send(message));
      expect(error.reason).toBe("timed out after 100 ms");
    } finally {
      await close(hanging);
    }
  });
});

describe("twilioConfigFromEnv", () => {
  it("names every missing variable", () => {
    expect(() => twilioConfigFromEnv({})).toThrow(
      "Twilio SMS is not configured: missing TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID + TWILIO_API_KEY_SECRET), one of TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID.",
    );
  });

  it("treats blank values as missing and names half an API key pair", () => {
    expect(() => twilioConfigFromEnv({ TWILIO_ACCOUNT_SID: " ", TWILIO_AUTH_TOKEN: "t", TWILIO_FROM: "+1", TWILIO_API_KEY_SID: "SK1" })).toThrow(
      /missing TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SECRET\.$/,
    );
  });

  it("reads a complete configuration, preferring the messaging service", () => {
    expect(
      twilioConfigFromEnv({
        TWILIO_ACCOUNT_SID: "AC1",
        TWILIO_AUTH_TOKEN: "tok",
        TWILIO_FROM: "+15005550006",
        TWILIO_MESSAGING_SERVICE_SID: "MG1",
        TWILIO_API_KEY_SID: "SK1",
        TWILIO_API_KEY_SECRET: "sec",
        TWILIO_BASE_URL: "http://127.0.0.1:1",
      }),
    ).toEqual({
      accountSid: "AC1",
      authToken: "tok",
      apiKey: { sid: "SK1", secret: "sec" },
      sender: { messagingServiceSid: "MG1" },
      baseUrl: "http://127.0.0.1:1",
    });
  });

  it("accepts an API key pair without the auth token", () => {
    const config = twilioConfigFromEnv({
      TWILIO_ACCOUNT_SID: "AC1",
      TWILIO_API_KEY_SID: "SK1",
      TWILIO_API_KEY_SECRET: "sec",
      TWILIO_FROM: "+15005550006",
    });
    expect(config.authToken).toBeUndefined();
    expect(config.sender).toEqual({ from: "+15005550006" });
  });
});
