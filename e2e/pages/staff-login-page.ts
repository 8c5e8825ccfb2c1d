import { expect, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { messages, type Locale } from "../fixtures";

/** The code an authenticator app shows for a secret now (the same RFC 6238 settings as lib/auth/totp.ts). */
export function totpNow(secret: string, at = Date.now()): string {
  return new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });
}

export class StaffLoginPage {
  constructor(
    private readonly page: Page,
    private readonly locale: Locale = "zh-CN",
  ) {}

  get t() {
    return messages[this.locale].staffLogin;
  }

  get totp() {
    return messages[this.locale].staffTotp;
  }

  goto() {
    return this.page.goto("/staff/login");
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel(this.t.email).fill(email);
    await this.page.getByLabel(this.t.password).fill(password);
    await this.page.getByRole("button", { name: this.t.submit }).click();
  }

  async enterCode(code: string) {
    await this.page.getByLabel(this.totp.code).fill(code);
    await this.page.getByRole("button", { name: this.totp.submit }).click();
  }

  /**
   * Password, then the current TOTP code. The demo accounts are shared by specs running at once, and
   * a code is accepted once: when another spec took this 30-second step, wait for the next one.
   */
  async signInWithTotp(email: string, password: string, secret: string, home: RegExp) {
    await this.signIn(email, password);
    await expect(this.page).toHaveURL(/\/staff\/code$/);
    for (let attempt = 0; attempt < 3; attempt++) {
      const step = Math.floor(Date.now() / 30_000);
      await this.enterCode(totpNow(secret));
      const outcome = await Promise.race([
        this.page.waitForURL(home).then(() => "home" as const),
        this.errorSummary(this.totp.errorTitle).waitFor().then(() => "refused" as const),
      ]);
      if (outcome === "home") return;
      await this.page.waitForTimeout(Math.max(0, (step + 1) * 30_000 - Date.now()) + 300);
      // A fresh page, so the next refusal (if any) is not the summary of this one.
      await this.page.goto("/staff/code");
    }
    throw new Error("no TOTP code was accepted");
  }

  errorSummary(title: string = this.t.errorTitle) {
    return this.page.getByRole("alert").filter({ hasText: title });
  }
}
