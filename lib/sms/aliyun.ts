import "server-only";
import { createHmac, randomUUID } from "node:crypto";
import { SmsSendError, type SmsMessage, type SmsProvider, type SmsResult } from "./types";
import { providerRequest, readJson } from "./http";

/** Alibaba Cloud SMS (Dysmsapi 2017-05-25) `SendSms`, RPC style with signature V1. */
export interface AliyunConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名), e.g. 回收号. */
  signName: string;
  /** Approved template for zh-CN, with `${code}` and `${minutes}`. */
  templateCodeZh: string;
  /** Optional English template with the same parameters; zh is used when absent. */
  templateCodeEn?: string;
  /**
   * "Unbind request complete" templates with `${unbound}`, `${scheduled}`, `${rejected}`,
   * `${other}` and `${link}`. Without one that SMS is not sent (the outbox records why).
   */
  unbindTemplateCodeZh?: string;
  unbindTemplateCodeEn?: string;
  /** "Customer service replied" templates with `${link}`; without one that SMS is not sent. */
  caseReplyTemplateCodeZh?: string;
  caseReplyTemplateCodeEn?: string;
  /** Default cn-hangzhou. */
  regionId?: string;
  /** Default https://dysmsapi.aliyuncs.com; tests point it at a local stub. */
  endpoint?: string;
}

export interface AliyunDeps {
  fetch?: typeof fetch;
  now?: () => Date;
  nonce?: () => string;
  timeoutMs?: number;
}

const DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com";
const DEFAULT_REGION = "cn-hangzhou";
const DEFAULT_TIMEOUT_MS = 10_000;

export function createAliyunProvider(config: AliyunConfig, deps: AliyunDeps = {}): SmsProvider {
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => new Date());
  const nonce = deps.nonce ?? randomUUID;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = `${endpointBase(config.endpoint ?? DEFAULT_ENDPOINT)}/`;

  return {
    name: "aliyun",
    async send(message: SmsMessage): Promise<SmsResult> {
      const params = aliyunSendSmsParams(config, message, now(), nonce());
      // POST keeps TemplateParam (it holds the code) out of URLs that proxies and gateways log.
      const signature = signAliyunRpc("POST", params, config.accessKeySecret);
      const body = `${canonicalizeAliyunParams(params)}&Signature=${aliyunPercentEncode(signature)}`;
      const response = await providerRequest("aliyun", doFetch, url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      }, timeoutMs);
      const json = await readJson(response);
      const code = isRecord(json) && typeof json.Code === "string" ? json.Code : undefined;
      if (!response.ok || code !== "OK") {
        throw new SmsSendError("aliyun", aliyunReason(json, code), response.ok ? undefined : response.status);
      }
      return { providerMessageId: isRecord(json) && typeof json.BizId === "string" ? json.BizId : undefined };
    },
  };
}

/** Reads the Alibaba Cloud variables; throws one error naming everything that is missing. */
export function aliyunConfigFromEnv(env: Readonly<Record<string, unknown>>): AliyunConfig {
  const get = (name: string) => {
    const value = env[name];
    return typeof value === "string" ? value.trim() || undefined : undefined;
  };
  const required = ["ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME", "ALIYUN_SMS_TEMPLATE_CODE"];
  const missing = required.filter((name) => !get(name));
  if (missing.length > 0) throw new Error(`Alibaba Cloud SMS is not configured: missing ${missing.join(", ")}.`);
  return {
    accessKeyId: get("ALIYUN_ACCESS_KEY_ID") ?? "",
    accessKeySecret: get("ALIYUN_ACCESS_KEY_SECRET") ?? "",
    signName: get("ALIYUN_SMS_SIGN_NAME") ?? "",
    templateCodeZh: get("ALIYUN_SMS_TEMPLATE_CODE") ?? "",
    templateCodeEn: get("ALIYUN_SMS_TEMPLATE_CODE_EN"),
    unbindTemplateCodeZh: get("ALIYUN_SMS_TEMPLATE_CODE_UNBIND"),
    unbindTemplateCodeEn: get("ALIYUN_SMS_TEMPLATE_CODE_UNBIND_EN"),
    caseReplyTemplateCodeZh: get("ALIYUN_SMS_TEMPLATE_CODE_CASE_REPLY"),
    caseReplyTemplateCodeEn: get("ALIYUN_SMS_TEMPLATE_CODE_CASE_REPLY_EN"),
    regionId: get("ALIYUN_SMS_REGION"),
    endpoint: get("ALIYUN_SMS_ENDPOINT"),
  };
}

/** Every parameter of one SendSms call except `Signature`. */
export function aliyunSendSmsParams(config: AliyunConfig, message: SmsMessage, at: Date, nonce: string): Record<string, string> {
  const kind = message.template.kind;
  const [zh, en] =
    kind === "otp"
      ? [config.templateCodeZh, config.templateCodeEn]
      : kind === "unbind_complete"
        ? [config.unbindTemplateCodeZh, config.unbindTemplateCodeEn]
        : [config.caseReplyTemplateCodeZh, config.caseReplyTemplateCodeEn];
  const templateCode = message.locale === "en" ? (en ?? zh) : zh;
  if (!templateCode) throw new SmsSendError("aliyun", `no template configured for ${message.template.kind}`);
  return {
    Action: "SendSms",
    Version: "2017-05-25",
    Format: "JSON",
    AccessKeyId: config.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: nonce,
    Timestamp: aliyunTimestamp(at),
    RegionId: config.regionId ?? DEFAULT_REGION,
    PhoneNumbers: aliyunPhoneNumber(message.to),
    SignName: config.signName,
    TemplateCode: templateCode,
    TemplateParam: JSON.stringify(message.template.params),
  };
}

/** Mainland numbers go without the country code; others as country code + number (no `+`). */
function aliyunPhoneNumber(e164: string): string {
  return e164.startsWith("+86") ? e164.slice(3) : e164.replace(/^\+/, "");
}

/** ISO 8601 in UTC without milliseconds: Alibaba rejects `.123Z`. */
function aliyunTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Alibaba's percent-encoding: RFC 3986 unreserved characters stay, everything else is %XX of its
 * UTF-8 bytes. encodeURIComponent leaves `!'()*` alone, so those are encoded by hand.
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalizeAliyunParams(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== "Signature")
    .sort() // Code-unit order equals byte order here: parameter names are ASCII.
    .map((key) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(params[key] ?? "")}`)
    .join("&");
}

/** Signature V1: base64(HMAC-SHA1(secret + "&", METHOD & %2F & encode(canonical query))). */
export function signAliyunRpc(method: "GET" | "POST", params: Record<string, string>, accessKeySecret: string): string {
  const stringToSign = `${method}&${aliyunPercentEncode("/")}&${aliyunPercentEncode(canonicalizeAliyunParams(params))}`;
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign, "utf8").digest("base64");
}

/**
 * Only the Code (and RequestId for support) go into the error: Alibaba's `Message` for
 * SignatureDoesNotMatch echoes the server's string to sign, which contains TemplateParam — the code.
 */
function aliyunReason(json: unknown, code: string | undefined): string {
  if (!code) return "unreadable answer";
  const requestId = isRecord(json) && typeof json.RequestId === "string" ? json.RequestId : undefined;
  return requestId ? `${code} (request ${requestId})` : code;
}




/** Accepts `dysmsapi.aliyuncs.com` as well as a full URL, since both turn up in copied settings. */
function endpointBase(endpoint: string): string {
  const withScheme = /^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  return withScheme.replace(/\/+$/, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
