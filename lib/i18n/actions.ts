"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALE_COOKIE, locales } from "./config";

const schema = z.object({ locale: z.enum(locales) });

/** The language switcher: a plain form post, so it works before JavaScript loads. */
export async function setLocale(formData: FormData): Promise<void> {
  // A server action is a public endpoint: a hand-made argument list changes nothing.
  if (!(formData instanceof FormData)) return;
  const parsed = schema.safeParse({ locale: formData.get("locale") });
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    httpOnly: true,
  });
}
