import type { Page } from "@playwright/test";
import { messages, type Locale } from "../fixtures";

export class StaffLoginPage {
  constructor(
    private readonly page: Page,
    private readonly locale: Locale = "zh-CN",
  ) {}

  get t() {
    return messages[this.locale].staffLogin;
  }

  goto() {
    return this.page.goto("/staff/login");
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel(this.t.email).fill(email);
    await this.page.getByLabel(this.t.password).fill(password);
    await this.page.getByRole("button", { name: this.t.submit }).click();
  }

  errorSummary() {
    return this.page.getByRole("alert").filter({ hasText: this.t.errorTitle });
  }
}
