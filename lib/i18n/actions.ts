"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { formPost } from "@/lib/actions";
import { anyone } from "@/lib/auth/guards";
import { LOCALE_COOKIE, locales } from "./config";

const schema = z.object({ locale: z.enum(locales) });

/** The language switcher: a plain form post, so it works before JavaScript loads. */
export const setLocale = formPost(schema, anyone, async ({ data }) => {
  (await cookies()).set(LOCALE_COOKIE, data.locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    httpOnly: true,
  });
});
