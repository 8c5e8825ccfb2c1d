import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { messages, type Locale } from "../fixtures";

/** The owner's sign-in: number step, code step (code read from the dev SMS outbox), number page. */
export class OwnerSignIn {
  constructor(
    private readonly page: Page,
    private readonly locale: Locale = "zh-CN",
  ) {}

  get t() {
    return messages[this.locale];
  }

  async enterNumber(number: string, { agree = true } = {}) {
    await this.page.goto("/login");
    await this.page.getByLabel(this.t.login.number).fill(number);
    if (agree) await this.page.getByRole("checkbox").check();
    await this.page.getByRole("button", { name: this.t.login.submit }).click();
  }

  codeField() {
    return this.page.getByLabel(this.t.verify.code, { exact: true });
  }

  async enterCode(code: string) {
    await this.codeField().fill(code);
    await this.page.getByRole("button", { name: this.t.verify.submit }).click();
  }

  errorSummary() {
    return this.page.getByRole("alert").filter({ has: this.page.getByRole("heading") });
  }
}

/** Newest code texted to `number` by the dev provider. */
export async function latestCode(request: APIRequestContext, number: string): Promise<{ code: string; body: string; count: number }> {
  const response = await request.get(`/api/dev/sms?to=${encodeURIComponent(number)}`);
  expect(response.ok()).toBe(true);
  const { messages: sent } = (await response.json()) as { messages: { body: string }[] };
  const body = sent[0]?.body ?? "";
  return { code: /(\d{6})/.exec(body)?.[1] ?? "", body, count: sent.length };
}
