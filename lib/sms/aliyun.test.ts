import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  aliyunConfigFromEnv,
  aliyunPercentEncode,
  aliyunSendSmsParams,
  createAliyunProvider,
  signAliyunRpc,
  type AliyunConfig,
} from "./aliyun";
import type { SmsMessage } from "./types";
import { close, listen, sendError, unusedUrl } from "./testing";

const SECRET = "test-access-key-secret";
const CODE = "482913";
const FIXED_NOW = new Date("2026-11-28T12:00:00.123Z");
const FIXED_NONCE = "a8f2c6de-0f1b-4c5e-9d3a-7b6e5f4c3d2b";

const zhMessage: SmsMessage = {
  to: "+8613800138000",
  body: `验证码 ${CODE}，10 分钟内有效。如非本人操作请忽略。`,
  locale: "zh-CN",
  template: { kind: "otp", params: { code: CODE, minutes: "10" } },
};

/**
 * A second, deliberately different implementation of Alibaba's encoding (byte by byte against the
 * RFC 3986 unreserved set) so a shared mistake in the adapter's canonicalisation cannot hide.
 */
function rfc3986(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function independentSignature(method: string, params: Map<string, string>, secret: string): string {
  const keys = [...params.keys()].filter((k) => k !== "Signature");
  keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const query = keys.map((k) => `${rfc3986(k)}=${rfc3986(params.get(k) ?? "")}`).join("&");
  const stringToSign = `${method}&${rfc3986("/")}&${rfc3986(query)}`;
  return createHmac("sha1", `${secret}&`).update(stringToSign).digest("base64");
}

interface Seen {
  method?: string;
  url?: string;
  contentType?: string;
  params: Map<string, string>;
  signatureValid: boolean;
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
  // Alibaba accepts the parameters in the query (GET) or in a form body (POST); read both.
  const query = new URL(req.url ?? "/", "http://stub").searchParams;
  const form = new URLSearchParams(await readBody(req));
  const params = new Map([...query, ...form]);
  const request: Seen = {
    method: req.method,
    url: req.url,
    contentType: req.headers["content-type"],
    params,
    signatureValid: params.get("Signature") === independentSignature(req.method ?? "", params, SECRET),
  };
  seen.push(request);
  const { status, body } = answer(request);
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

/** Behaves like Dysmsapi: 404 off the root path, SignatureDoesNotMatch unless the signature checks out. */
function aliyunLike(request: Seen): { status: number; body: unknown } {
  if (new URL(request.url ?? "/", "http://stub").pathname !== "/") return { status: 404, body: { Code: "InvalidAction.NotFound" } };
  if (!request.signatureValid) {
    return {
      status: 400,
      body: {
        Code: "SignatureDoesNotMatch",
        // The real service echoes its string to sign here, TemplateParam and code included.
        Message: `Specified signature is not matched with our calculation. server string to sign is:POST&%2F&...${CODE}...`,
        RequestId: "C2B4E7A0-0000-4F00-A000-DEADBEEFCAFE",
      },
    };
  }
  return { status: 200, body: { Code: "OK", Message: "OK", RequestId: "F655A8D5-B967-440B-8683-DAD6FF8DE990", BizId: "900619746936498440^0" } };
}

function config(overrides: Partial<AliyunConfig> = {}): AliyunConfig {
  return {
    accessKeyId: "LTAI-test-id",
    accessKeySecret: SECRET,
    signName: "回收号",
    templateCodeZh: "SMS_000001",
    templateCodeEn: "SMS_000002",
    endpoint,
    ...overrides,
  };
}

const fixedDeps = { now: () => FIXED_NOW, nonce: () => FIXED_NONCE };

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  endpoint = await listen(server);
});

afterAll(async () => {
  await close(server);
});

beforeEach(() => {
  seen = [];
  answer = aliyunLike;
});


describe("aliyun provider", () => {
  it("posts a SendSms call whose V1 signature the stub recomputes from the received form", async () => {
    const result = await createAliyunProvider(config(), fixedDeps).send(zhMessage);

    expect(result).toEqual({ providerMessageId: "900619746936498440^0" });
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/");
    expect(request.contentType).toBe("application/x-www-form-urlencoded");
    expect(request.signatureValid).toBe(true);
    const { Signature, ...params } = Object.fromEntries(request.params);
    expect(Signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(params).toEqual({
      Action: "SendSms",
      Version: "2017-05-25",
      Format: "JSON",
      AccessKeyId: "LTAI-test-id",
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      SignatureNonce: FIXED_NONCE,
      Timestamp: "2026-11-28T12:00:00Z",
      RegionId: "cn-hangzhou",
      PhoneNumbers: "13800138000",
      SignName: "回收号",
      TemplateCode: "SMS_000001",
      TemplateParam: `{"code":"${CODE}","minutes":"10"}`,
    });
  });

  it("uses the English template for en and keeps the country code (without +) outside mainland China", async () => {
    const provider = createAliyunProvider(config({ regionId: "ap-southeast-1" }), fixedDeps);
    await provider.send({ ...zhMessage, to: "+85291234567", locale: "en" });

    const params = seen[0]!.params;
    expect(seen[0]!.signatureValid).toBe(true);
    expect(params.get("TemplateCode")).toBe("SMS_000002");
    expect(params.get("PhoneNumbers")).toBe("85291234567");
    expect(params.get("RegionId")).toBe("ap-southeast-1");
  });

  it("falls back to the zh template for en when no English template is configured", async () => {
    await createAliyunProvider(config({ templateCodeEn: undefined }), fixedDeps).send({ ...zhMessage, locale: "en" });
    expect(seen[0]!.params.get("TemplateCode")).toBe("SMS_000001");
  });

  it("uses a fresh nonce and a second-precision UTC timestamp by default", async () => {
    const provider = createAliyunProvider(config());
    await provider.send(zhMessage);
    await provider.send(zhMessage);

    expect(seen.every((r) => r.signatureValid)).toBe(true);
    expect(seen[0]!.params.get("Timestamp")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(seen[0]!.params.get("SignatureNonce")).not.toBe(seen[1]!.params.get("SignatureNonce"));
  });

  it("turns Code !== OK into SmsSendError carrying the Code and no code digits", async () => {
    answer = () => ({
      status: 200,
      body: { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: `触发小时级流控Permits:5 ${CODE}`, RequestId: "REQ-A" },
    });

    const error = await sendError(createAliyunProvider(config(), fixedDeps).send(zhMessage));
    expect(error.provider).toBe("aliyun");
    expect(error.reason).toBe("isv.BUSINESS_LIMIT_CONTROL (request REQ-A)");
    expect(error.status).toBeUndefined();
    expect(error.message).not.toContain(CODE);
  });

  it("rejects a wrong secret like Alibaba does, without echoing the string to sign", async () => {
    const error = await sendError(createAliyunProvider(config({ accessKeySecret: "wrong" }), fixedDeps).send(zhMessage));
    expect(seen[0]!.signatureValid).toBe(false);
    expect(error.status).toBe(400);
    expect(error.reason).toContain("SignatureDoesNotMatch");
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain("string to sign");
  });

  it("turns an unreachable endpoint into SmsSendError", async () => {
    const unreachable = await unusedUrl();

    const error = await sendError(createAliyunProvider(config({ endpoint: unreachable })).send(zhMessage));
    expect(error.reason).toMatch(/network error/);
  });

  it("gives up after the timeout", async () => {
    const hanging = createServer(() => undefined);
    const url = await listen(hanging);
    try {
      const error = await sendError(createAliyunProvider(config({ endpoint: url }), { timeoutMs: 100 }).send(zhMessage));
      expect(error.reason).toBe("timed out after 100 ms");
    } finally {
      await close(hanging);
    }
  });
});

describe("aliyun signature V1 known answers", () => {
  it("matches a string to sign written out by hand for fixed inputs", () => {
    // Built by hand from the spec: sorted keys, each pair encoded, then the whole query encoded
    // again (so `:` becomes %253A and the sign name's UTF-8 bytes become %25E5…).
    const stringToSign =
      "POST&%2F&" +
      "AccessKeyId%3DLTAI-test-id" +
      "%26Action%3DSendSms" +
      "%26Format%3DJSON" +
      "%26PhoneNumbers%3D13800138000" +
      "%26RegionId%3Dcn-hangzhou" +
      "%26SignName%3D%25E5%259B%259E%25E6%2594%25B6%25E5%258F%25B7" +
      "%26SignatureMethod%3DHMAC-SHA1" +
      `%26SignatureNonce%3D${FIXED_NONCE}` +
      "%26SignatureVersion%3D1.0" +
      "%26TemplateCode%3DSMS_000001" +
      "%26TemplateParam%3D%257B%2522code%2522%253A%2522482913%2522%252C%2522minutes%2522%253A%252210%2522%257D" +
      "%26Timestamp%3D2026-11-28T12%253A00%253A00Z" +
      "%26Version%3D2017-05-25";
    const expected = createHmac("sha1", `${SECRET}&`).update(stringToSign, "utf8").digest("base64");

    const params = aliyunSendSmsParams(config(), zhMessage, FIXED_NOW, FIXED_NONCE);
    expect(signAliyunRpc("POST", params, SECRET)).toBe(expected);
  });

  it("is what the adapter actually sends for those inputs", async () => {
    await createAliyunProvider(config(), fixedDeps).send(zhMessage);
    const params = aliyunSendSmsParams(config(), zhMessage, FIXED_NOW, FIXED_NONCE);
    expect(seen[0]!.params.get("Signature")).toBe(signAliyunRpc("POST", params, SECRET));
  });

  it("reproduces Alibaba's documented examples (RPC DescribeRegions and SMS SendSms, both GET)", () => {
    const describeRegions = {
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      Format: "XML",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      SignatureVersion: "1.0",
      Timestamp: "2016-02-23T12:46:24Z",
      Version: "2014-05-26",
    };
    expect(signAliyunRpc("GET", describeRegions, "testsecret")).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");

    const sendSms = {
      AccessKeyId: "testId",
      Action: "SendSms",
      Format: "XML",
      OutId: "123",
      PhoneNumbers: "15300000001",
      RegionId: "cn-hangzhou",
      SignName: "阿里云短信测试专用",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
      SignatureVersion: "1.0",
      TemplateCode: "SMS_71390007",
      TemplateParam: '{"customer":"test"}',
      Timestamp: "2017-07-12T02:42:19Z",
      Version: "2017-05-25",
    };
    expect(signAliyunRpc("GET", sendSms, "testSecret")).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("percent-encodes the characters encodeURIComponent leaves alone", () => {
    expect(aliyunPercentEncode("a b*c~d!'()")).toBe("a%20b%2Ac~d%21%27%28%29");
    expect(aliyunPercentEncode("a b*c~d!'()")).toBe(rfc3986("a b*c~d!'()"));
  });
});

describe("aliyunConfigFromEnv", () => {
  it("names every missing variable", () => {
    expect(() => aliyunConfigFromEnv({ ALIYUN_SMS_SIGN_NAME: "回收号", ALIYUN_ACCESS_KEY_SECRET: "  " })).toThrow(
      "Alibaba Cloud SMS is not configured: missing ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET, ALIYUN_SMS_TEMPLATE_CODE.",
    );
  });

  it("reads a complete configuration with the optional values", () => {
    expect(
      aliyunConfigFromEnv({
        ALIYUN_ACCESS_KEY_ID: "id",
        ALIYUN_ACCESS_KEY_SECRET: "secret",
        ALIYUN_SMS_SIGN_NAME: "回收号",
        ALIYUN_SMS_TEMPLATE_CODE: "SMS_1",
        ALIYUN_SMS_TEMPLATE_CODE_EN: "SMS_2",
        ALIYUN_SMS_REGION: "ap-southeast-1",
        ALIYUN_SMS_ENDPOINT: "dysmsapi.ap-southeast-1.aliyuncs.com",
      }),
    ).toEqual({
      accessKeyId: "id",
      accessKeySecret: "secret",
      signName: "回收号",
      templateCodeZh: "SMS_1",
      templateCodeEn: "SMS_2",
      regionId: "ap-southeast-1",
      endpoint: "dysmsapi.ap-southeast-1.aliyuncs.com",
    });
  });
});
