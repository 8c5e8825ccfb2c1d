import { SmsSendError, type SmsProvider } from "./types";

/** One HTTP call to a provider: network failures and timeouts become an SmsSendError. */
export async function providerRequest(
  provider: SmsProvider["name"],
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await doFetch(url, init);
  } catch (error) {
    throw new SmsSendError(provider, networkReason(error, timeoutMs));
  }
}

/** The answer as JSON, or undefined when it is not JSON (proxies and outages answer in HTML). */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" ? `network error (${cause.code})` : "network error";
}
