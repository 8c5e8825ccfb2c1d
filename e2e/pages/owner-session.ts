import { expect, type APIRequestContext, type Page } from "@playwright/test";
import type { Locale } from "../fixtures";
import { advanceServerClock, latestCode, OwnerSignIn } from "./owner-sign-in";

export const DEMO = "+8613800138000";
export const partnerUrl = `http://127.0.0.1:${process.env.E2E_PARTNER_PORT}`;

/** Turns the reference partner server's knobs (the sandbox platforms' behaviour). */
export async function partnerControl(request: APIRequestContext, action: "reset" | "knobs", data: unknown = {}) {
  const response = await request.post(`${partnerUrl}/_control/${action}`, { data });
  expect(response.ok()).toBe(true);
}

export async function partnerStats(request: APIRequestContext) {
  return (await (await request.get(`${partnerUrl}/_control/stats`)).json()) as { requests: Record<string, number>; unbinds: Record<string, number> };
}

/** Signs the demo owner in, past the previous spec's resend interval for this number. */
export async function signInDemoOwner(page: Page, request: APIRequestContext, locale: Locale) {
  await advanceServerClock(request, 2 * 60_000);
  const signIn = new OwnerSignIn(page, locale);
  await signIn.enterNumber("138 0013 8000");
  await expect(page).toHaveURL(/\/login\/verify$/);
  const { code } = await latestCode(request, DEMO);
  await signIn.enterCode(code);
  await expect(page).toHaveURL(/\/me$/);
}

/** A row (list item) of a platform list, found by the platform's name or category label. */
export function row(page: Page, name: string) {
  return page.getByRole("listitem").filter({ hasText: name });
}
