import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTencentProvider, signTc3, tencentConfigFromEnv, type TencentConfig } from "./tencent";
import type { SmsMessage } from "./types";
import { close, listen, sendError, unusedUrl } from "./testing";

const SECRET_ID = "AKIDtest0000000000000000000000000000";
const SECRET_KEY = "test-secret-key";
const CODE = "482913";
// 2026-11-28T00:30:00Z is 08:30 in Beijing: the credential date must still be the UTC date.
const FIXED_NOW = new Date("2026-11-28T00:30:00.999Z");
const FIXED_TIMESTAMP = 1795825800;

const zhMessage: SmsMessage = {
  to: "+8613800138000",
  body: `验证码 ${CODE}，10 分钟内有效。如非本人操作请忽略。`,
  locale: "zh-CN",
  template: { kind: "otp", params: { code: CODE, minutes: "10" } },
};

// Plain, step-by-step TC3 as Tencent's documentation writes it, independent of the adapter.
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const hmacSha256 = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text, "utf8").digest();

function independentSignature(secretKey: string, date: string, service: string, stringToSign: string): string {
  const secretDate = hmacSha256("TC3" + secretKey, date);
  const secretService = hmacSha256(secretDate, service);
  const secretSigning = hmacSha256(secretService, "tc3_request");
  return createHmac("sha256", secretSigning).update(stringToSign, "utf8").digest("hex");
}

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: string;
  signatureValid: boolean;
}

/** Recomputes the signature from what arrived on the wire: headers, body, the test's secret. */
function verifyTc3(headers: IncomingMessage["headers"], body: string): boolean {
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
    headers.authorization ?? "",
  );
  if (!match) return false;
  const [, secretId, date, signature] = match;
  const timestamp = headers["x-tc-timestamp"] ?? "";
  if (secretId !== SECRET_ID || date !== new Date(Number(timestamp) * 1000).toISOString().slice(0, 10)) return false;
  const canonicalRequest =
    "POST\n" +
    "/\n" +
    "\n" +
    `content-type:${headers["content-type"]}\n` +
    `host:${headers.host}\n` +
    "\n" +
    "content-type;host\n" +
    sha256(body);
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha256(canonicalRequest)}`;
  return signature === independentSignature(SECRET_KEY, date ?? "", "sms", stringToSign);
}

let server: Server;
let endpoint: string;
let seen: Seen[] = [];
let answer: (request: Seen) => { status: number; body: unknown };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const body = await readBody(req);
  const request: Seen = { method: req.method, url: req.url, headers: req.headers, body, signatureValid: verifyTc3(req.headers, body) };
  seen.push(request);
  const { status, body: answerBody } = answer(request);
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(answerBody));
}

/** Behaves like the API 3.0 gateway: HTTP 200 with Response.Error unless the signature checks out. */
function tencentLike(request: Seen): { status: number; body: unknown } {
  if (request.method !== "POST" || request.url !== "/") {
    return { status: 200, body: { Response: { Error: { Code: "InvalidAction", Message: "not found" }, RequestId: "r-0" } } };
  }
  if (!request.signatureValid) {
    return {
      status: 200,
      body: {
        Response: {
          Error: { Code: "AuthFailure.SignatureFailure", Message: "The provided credentials could not be validated." },
          RequestId: "6ef60bec-0242-43af-bb20-270359fb54a7",
        },
      },
    };
  }
  return {
    status: 200,
    body: {
      Response: {
        SendStatusSet: [
          { SerialNo: "5000:1045710669157053657849499619", PhoneNumber: "+8613800138000", Fee: 1, Code: "Ok", Message: "send success", IsoCode: "CN" },
        ],
        RequestId: "a0aabda6-cf91-4f3e-a81f-9198114a2279",
      },
    },
  };
}

function config(overrides: Partial<TencentConfig> = {}): TencentConfig {
  return {
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    smsSdkAppId: "1400000001",
    signName: "回收号",
    templateIdZh: "100001",
    templateIdEn: "100002",
    endpoint,
    ...overrides,
  };
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  endpoint = await listen(server);
});

afterAll(async () => {
  await close(server);
});

beforeEach(() => {
  seen = [];
  answer = tencentLike;
});


describe("tencent provider", () => {
  it("posts SendSms with a TC3 signature the stub recomputes from the received headers and body", async () => {
    const result = await createTencentProvider(config(), { now: () => FIXED_NOW }).send(zhMessage);

    expect(result).toEqual({ providerMessageId: "5000:1045710669157053657849499619" });
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/");
    expect(request.signatureValid).toBe(true);
    expect(request.headers.authorization).toMatch(
      new RegExp(`^TC3-HMAC-SHA256 Credential=${SECRET_ID}/2026-11-28/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`),
    );
    expect(request.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(request.headers.host).toBe(new URL(endpoint).host);
    expect(request.headers["x-tc-action"]).toBe("SendSms");
    expect(request.headers["x-tc-version"]).toBe("2021-01-11");
    expect(request.headers["x-tc-timestamp"]).toBe(String(FIXED_TIMESTAMP));
    expect(request.headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(JSON.parse(request.body)).toEqual({
      PhoneNumberSet: ["+8613800138000"],
      SmsSdkAppId: "1400000001",
      SignName: "回收号",
      TemplateId: "100001",
      TemplateParamSet: [CODE, "10"],
    });
  });

  it("uses the English template for en, the configured region, and falls back to zh without an en template", async () => {
    await createTencentProvider(config({ region: "ap-singapore" })).send({ ...zhMessage, to: "+6591234567", locale: "en" });
    await createTencentProvider(config({ templateIdEn: undefined })).send({ ...zhMessage, locale: "en" });

    expect(seen.every((r) => r.signatureValid)).toBe(true);
    expect(seen[0]!.headers["x-tc-region"]).toBe("ap-singapore");
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ PhoneNumberSet: ["+6591234567"], TemplateId: "100002" });
    expect(JSON.parse(seen[1]!.body)).toMatchObject({ TemplateId: "100001" });
  });

  it("turns Response.Error into SmsSendError with the error code (a wrong key really fails the stub's check)", async () => {
    const error = await sendError(createTencentProvider(config({ secretKey: "wrong" })).send(zhMessage));
    expect(seen[0]!.signatureValid).toBe(false);
    expect(error.provider).toBe("tencent");
    expect(error.reason).toBe("AuthFailure.SignatureFailure (request 6ef60bec-0242-43af-bb20-270359fb54a7)");
    expect(error.status).toBeUndefined();
    expect(error.message).not.toContain(CODE);
  });

  it("turns a per-number failure code into SmsSendError without the code digits", async () => {
    answer = () => ({
      status: 200,
      body: {
        Response: {
          SendStatusSet: [{ SerialNo: "", PhoneNumber: "+8613800138000", Code: "LimitExceeded.PhoneNumberDailyLimit", Message: `limit ${CODE}` }],
          RequestId: "req-b",
        },
      },
    });
    const error = await sendError(createTencentProvider(config()).send(zhMessage));
    expect(error.reason).toBe("LimitExceeded.PhoneNumberDailyLimit (request req-b)");
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain("13800138000");
  });

  it("reports a non-JSON HTTP error with its status", async () => {
    answer = () => ({ status: 503, body: `busy ${CODE}` });
    const error = await sendError(createTencentProvider(config()).send(zhMessage));
    expect(error.status).toBe(503);
    expect(error.message).not.toContain(CODE);
  });

  it("turns an unreachable endpoint into SmsSendError", async () => {
    const unreachable = await unusedUrl();

    const error = await sendError(createTencentProvider(config({ endpoint: unreachable })).send(zhMessage));
    expect(error.reason).toMatch(/network error/);
    expect(error.status).toBeUndefined();
  });

  it("gives up after the timeout", async () => {
    const hanging = createServer(() => undefined);
    const url = await listen(hanging);
    try {
      const error = await sendError(createTencentProvider(config({ endpoint: url }), { timeoutMs: 100 }).send(zhMessage));
      expect(error.reason).toBe("timed out after 100 ms");
    } finally {
      await close(hanging);
    }
  });
});

describe("TC3-HMAC-SHA256 known answers", () => {
  it("matches a canonical request and string to sign written out by hand for fixed inputs", () => {
    const payload =
      '{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400000001","SignName":"回收号","TemplateId":"100001","TemplateParamSet":["482913","10"]}';
    const canonicalRequest = [
      "POST",
      "/",
      "",
      "content-type:application/json; charset=utf-8",
      "host:sms.tencentcloudapi.com",
      "",
      "content-type;host",
      sha256(payload),
    ].join("\n");
    const stringToSign = ["TC3-HMAC-SHA256", "1795825800", "2026-11-28/sms/tc3_request", sha256(canonicalRequest)].join("\n");
    const signature = independentSignature(SECRET_KEY, "2026-11-28", "sms", stringToSign);

    const signed = signTc3({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: "sms",
      host: "sms.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      payload,
      timestamp: FIXED_TIMESTAMP,
    });
    expect(signed.canonicalRequest).toBe(canonicalRequest);
    expect(signed.stringToSign).toBe(stringToSign);
    expect(signed.signature).toBe(signature);
    expect(signed.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=${SECRET_ID}/2026-11-28/sms/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
    );
  });

  it("signs exactly the body the adapter sends for those inputs", async () => {
    await createTencentProvider(config(), { now: () => FIXED_NOW }).send(zhMessage);
    const request = seen[0]!;
    expect(request.body).toBe(
      '{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400000001","SignName":"回收号","TemplateId":"100001","TemplateParamSet":["482913","10"]}',
    );
    const { authorization } = signTc3({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: "sms",
      host: new URL(endpoint).host,
      contentType: "application/json; charset=utf-8",
      payload: request.body,
      timestamp: FIXED_TIMESTAMP,
    });
    expect(request.headers.authorization).toBe(authorization);
  });

  it("reproduces Tencent's documented CVM example, including the UTC date just after Beijing midnight", () => {
    const signed = signTc3({
      secretId: "AKID**********************0123456789EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
      service: "cvm",
      host: "cvm.tencentcloudapi.com",
      contentType: "application/json; charset=utf-8",
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
    });
    expect(signed.stringToSign).toBe(
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    );
    expect(signed.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });
});

describe("tencentConfigFromEnv", () => {
  it("names every missing variable", () => {
    expect(() => tencentConfigFromEnv({ TENCENT_SECRET_ID: "id", TENCENT_SMS_SIGN_NAME: "" })).toThrow(
      "Tencent Cloud SMS is not configured: missing TENCENT_SECRET_KEY, TENCENT_SMS_SDK_APP_ID, TENCENT_SMS_SIGN_NAME, TENCENT_SMS_TEMPLATE_ID.",
    );
  });

  it("reads a complete configuration with the optional values", () => {
    expect(
      tencentConfigFromEnv({
        TENCENT_SECRET_ID: "id",
        TENCENT_SECRET_KEY: "key",
        TENCENT_SMS_SDK_APP_ID: "1400000001",
        TENCENT_SMS_SIGN_NAME: "回收号",
        TENCENT_SMS_TEMPLATE_ID: "100001",
        TENCENT_SMS_TEMPLATE_ID_EN: "100002",
        TENCENT_SMS_REGION: "ap-beijing",
        TENCENT_SMS_ENDPOINT: "https://sms.internal.tencentcloudapi.com",
      }),
    ).toEqual({
      secretId: "id",
      secretKey: "key",
      smsSdkAppId: "1400000001",
      signName: "回收号",
      templateIdZh: "100001",
      templateIdEn: "100002",
      region: "ap-beijing",
      endpoint: "https://sms.internal.tencentcloudapi.com",
    });
  });
});
