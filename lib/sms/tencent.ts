import "server-only";
import { createHash, createHmac } from "node:crypto";
import { SmsSendError, type SmsMessage, type SmsProvider, type SmsResult } from "./types";
import { providerRequest, readJson } from "./http";

/** Tencent Cloud SMS API 3.0 `SendSms` (2021-01-11), signed with TC3-HMAC-SHA256. */
export interface TencentConfig {
  secretId: string;
  secretKey: string;
  /** The SMS application's SdkAppId (starts with 14…). */
  smsSdkAppId: string;
  /** The approved signature content (签名内容), not its id. */
  signName: string;
  /** Approved template id for zh-CN, with `{1}` = code and `{2}` = minutes. */
  templateIdZh: string;
  /** Optional English template with the same parameters; zh is used when absent. */
  templateIdEn?: string;
  /** "Unbind request complete": {1} unbound, {2} scheduled, {3} rejected, {4} other, {5} link. */
  unbindTemplateIdZh?: string;
  unbindTemplateIdEn?: string;
  /** "Customer service replied": {1} link. */
  caseReplyTemplateIdZh?: string;
  caseReplyTemplateIdEn?: string;
  /** Default ap-guangzhou. */
  region?: string;
  /** Default https://sms.tencentcloudapi.com; tests point it at a local stub. */
  endpoint?: string;
}

export interface TencentDeps {
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}

export interface Tc3SignInput {
  secretId: string;
  secretKey: string;
  /** Product name as in the domain: "sms" for sms.tencentcloudapi.com. */
  service: string;
  /** The Host header as sent, e.g. sms.tencentcloudapi.com (with a port if the URL has one). */
  host: string;
  contentType: string;
  payload: string;
  /** Unix seconds, the value of X-TC-Timestamp. */
  timestamp: number;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
}

const DEFAULT_ENDPOINT = "https://sms.tencentcloudapi.com";
const DEFAULT_REGION = "ap-guangzhou";
const DEFAULT_TIMEOUT_MS = 10_000;
const CONTENT_TYPE = "application/json; charset=utf-8";
const SIGNED_HEADERS = "content-type;host";

export function createTencentProvider(config: TencentConfig, deps: TencentDeps = {}): SmsProvider {
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = new URL(`${endpointBase(config.endpoint ?? DEFAULT_ENDPOINT)}/`);

  return {
    name: "tencent",
    async send(message: SmsMessage): Promise<SmsResult> {
      const payload = JSON.stringify(tencentSendSmsBody(config, message));
      const timestamp = Math.floor(now().getTime() / 1000);
      // fetch always sends the URL's host and ignores a Host header, so that is what gets signed.
      const { authorization } = signTc3({
        secretId: config.secretId,
        secretKey: config.secretKey,
        service: "sms",
        host: url.host,
        contentType: CONTENT_TYPE,
        payload,
        timestamp,
      });
      const response = await providerRequest("tencent", doFetch, url.toString(), {
        method: "POST",
        headers: {
          Authorization: authorization,
          "Content-Type": CONTENT_TYPE,
          "X-TC-Action": "SendSms",
          "X-TC-Version": "2021-01-11",
          "X-TC-Timestamp": String(timestamp),
          "X-TC-Region": config.region ?? DEFAULT_REGION,
        },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      }, timeoutMs);
      return tencentResult(await readJson(response), response);
    },
  };
}

/** Reads the Tencent Cloud variables; throws one error naming everything that is missing. */
export function tencentConfigFromEnv(env: Readonly<Record<string, unknown>>): TencentConfig {
  const get = (name: string) => {
    const value = env[name];
    return typeof value === "string" ? value.trim() || undefined : undefined;
  };
  const required = ["TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME", "TENCENT_SMS_TEMPLATE_ID"];
  const missing = required.filter((name) => !get(name));
  if (missing.length > 0) throw new Error(`Tencent Cloud SMS is not configured: missing ${missing.join(", ")}.`);
  return {
    secretId: get("TENCENT_SECRET_ID") ?? "",
    secretKey: get("TENCENT_SECRET_KEY") ?? "",
    smsSdkAppId: get("TENCENT_SMS_SDK_APP_ID") ?? "",
    signName: get("TENCENT_SMS_SIGN_NAME") ?? "",
    templateIdZh: get("TENCENT_SMS_TEMPLATE_ID") ?? "",
    templateIdEn: get("TENCENT_SMS_TEMPLATE_ID_EN"),
    unbindTemplateIdZh: get("TENCENT_SMS_TEMPLATE_ID_UNBIND"),
    unbindTemplateIdEn: get("TENCENT_SMS_TEMPLATE_ID_UNBIND_EN"),
    caseReplyTemplateIdZh: get("TENCENT_SMS_TEMPLATE_ID_CASE_REPLY"),
    caseReplyTemplateIdEn: get("TENCENT_SMS_TEMPLATE_ID_CASE_REPLY_EN"),
    region: get("TENCENT_SMS_REGION"),
    endpoint: get("TENCENT_SMS_ENDPOINT"),
  };
}

function tencentSendSmsBody(config: TencentConfig, message: SmsMessage) {
  const t = message.template;
  const [zh, en] =
    t.kind === "otp"
      ? [config.templateIdZh, config.templateIdEn]
      : t.kind === "unbind_complete"
        ? [config.unbindTemplateIdZh, config.unbindTemplateIdEn]
        : [config.caseReplyTemplateIdZh, config.caseReplyTemplateIdEn];
  const templateId = message.locale === "en" ? (en ?? zh) : zh;
  if (!templateId) throw new SmsSendError("tencent", `no template configured for ${t.kind}`);
  return {
    PhoneNumberSet: [message.to],
    SmsSdkAppId: config.smsSdkAppId,
    SignName: config.signName,
    TemplateId: templateId,
    // Positional. Codes: {1} the code, {2} the minutes. Unbind complete: see TencentConfig.
    TemplateParamSet:
      t.kind === "otp"
        ? [t.params.code, t.params.minutes]
        : t.kind === "unbind_complete"
          ? [t.params.unbound, t.params.scheduled, t.params.rejected, t.params.other, t.params.link]
          : [t.params.link],
  };
}

/** TC3-HMAC-SHA256 for a POST with an empty query, signing content-type and host only. */
export function signTc3(input: Tc3SignInput): Tc3Signature {
  // The credential date is the UTC date of the timestamp; a local date breaks around midnight.
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${input.service}/tc3_request`;
  const canonicalHeaders = `content-type:${input.contentType.trim().toLowerCase()}\nhost:${input.host.trim().toLowerCase()}\n`;
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, SIGNED_HEADERS, sha256Hex(input.payload)].join("\n");
  const stringToSign = ["TC3-HMAC-SHA256", String(input.timestamp), scope, sha256Hex(canonicalRequest)].join("\n");
  const secretDate = hmac(`TC3${input.secretKey}`, date);
  const secretService = hmac(secretDate, input.service);
  const secretSigning = hmac(secretService, "tc3_request");
  const signature = createHmac("sha256", secretSigning).update(stringToSign, "utf8").digest("hex");
  const authorization = `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign };
}

/**
 * Tencent answers HTTP 200 even for errors: `Response.Error` for a refused call, a per-number
 * `Code` in SendStatusSet otherwise. Only codes go into the error; messages can quote parameters.
 */
function tencentResult(json: unknown, response: Response): SmsResult {
  const body = isRecord(json) && isRecord(json.Response) ? json.Response : undefined;
  const status = response.ok ? undefined : response.status;
  const requestId = typeof body?.RequestId === "string" ? ` (request ${body.RequestId})` : "";
  if (!body) throw new SmsSendError("tencent", "unreadable answer", status ?? response.status);
  if (isRecord(body.Error)) {
    const code = typeof body.Error.Code === "string" ? body.Error.Code : "unknown error";
    throw new SmsSendError("tencent", `${code}${requestId}`, status);
  }
  const first = Array.isArray(body.SendStatusSet) ? body.SendStatusSet[0] : undefined;
  const code = isRecord(first) && typeof first.Code === "string" ? first.Code : undefined;
  if (!isRecord(first) || code !== "Ok" || status) {
    throw new SmsSendError("tencent", `${code ?? "no send status"}${requestId}`, status);
  }
  return { providerMessageId: typeof first.SerialNo === "string" ? first.SerialNo : undefined };
}




function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

/** Accepts `sms.tencentcloudapi.com` as well as a full URL, since both turn up in copied settings. */
function endpointBase(endpoint: string): string {
  const withScheme = /^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  return withScheme.replace(/\/+$/, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
