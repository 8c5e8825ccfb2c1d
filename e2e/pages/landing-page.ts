import type { Page } from "@playwright/test";
import { messages, type Locale } from "../fixtures";

export class LandingPage {
  constructor(private readonly page: Page) {}

  goto() {
    return this.page.goto("/");
  }

  heading(locale: Locale) {
    return this.page.getByRole("heading", { level: 1, name: messages[locale].landing.title });
  }

  languageNav(locale: Locale) {
    return this.page.getByRole("navigation", { name: messages[locale].nav.language });
  }

  async switchTo(target: Locale, from: Locale) {
    const name = messages[from].nav.switchTo.replace("{language}", messages[from].languages[target]);
    await this.languageNav(from).getByRole("button", { name }).click();
  }
}
