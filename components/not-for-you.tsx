import { House, LogOut, ShieldX } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { staffSignOut } from "@/lib/auth/actions";
import { admittedTo, currentSession } from "@/lib/auth/guards";
import { REQUEST_PATH_HEADER } from "@/lib/auth/return-to";
import { areaOf, homeFor, type StaffArea } from "@/lib/auth/roles";
import { staffDisplayName } from "@/lib/auth/staff-name";
import { maskNumber } from "@/lib/phone/mask";
import { Button } from "./ui/button";

export async function notForYouMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("notForYou"))("title") };
}

/** A staff area page's metadata: its own for those it admits, "not for your account" for the rest. */
export async function areaMetadata(area: StaffArea, own: () => Promise<Metadata>): Promise<Metadata> {
  return (await admittedTo(area)) ? own() : notForYouMetadata();
}

/**
 * The 403 page of a staff area (lib/auth/guards.ts `requireArea`): whom the page is for, who is
 * signed in as what, and the ways on — their own area, sign out, home. Never a silent redirect, so
 * an owner who followed a link, or staff in the wrong console, know what happened.
 */
export async function NotForYouView() {
  // Rendered per request: it reads the session, and a prerendered page would carry no CSP nonce.
  await connection();
  const [t, tStaff, locale, session, h] = await Promise.all([getTranslations("notForYou"), getTranslations("staff"), getLocale(), currentSession(), headers()]);
  const area = areaOf(h.get(REQUEST_PATH_HEADER) ?? "");
  const own = session ? homeFor(session.kind === "owner" ? "owner" : session.role) : null;
  const ownArea = session?.kind === "staff" ? areaOf(own ?? "") : null;

  return (
    <main id="main" className="mx-auto w-full max-w-xl flex-1 px-4 py-16 sm:px-6">
      <ShieldX aria-hidden className="size-10 text-muted-foreground" />
      <h1 className="mt-4 text-2xl font-bold">{t("title")}</h1>
      <p className="mt-3">{t("for", { area: area ?? "other" })}</p>
      {session?.kind === "staff" ? (
        <p className="mt-2 text-muted-foreground">{t("signedInStaff", { name: staffDisplayName(session.name, locale), role: session.role })}</p>
      ) : session?.kind === "owner" ? (
        <p className="mt-2 text-muted-foreground">{t("signedInOwner", { number: maskNumber(session.number) })}</p>
      ) : null}
      <p className="mt-2 text-muted-foreground">{t("hint")}</p>
      <div className="mt-8 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
        {session?.kind === "staff" && ownArea ? (
          <Button asChild>
            <Link href={own!} className="no-underline">
              {t("goToArea", { area: tStaff(ownArea === "agent" ? "agentArea" : "regulatorArea") })}
            </Link>
          </Button>
        ) : session?.kind === "owner" ? (
          <Button asChild>
            <Link href="/me" className="no-underline">
              {t("goToMyNumber")}
            </Link>
          </Button>
        ) : null}
        {session?.kind === "staff" ? (
          <form action={staffSignOut}>
            <Button type="submit" variant="secondary" className="w-full sm:w-auto">
              <LogOut aria-hidden />
              {t("signOut")}
            </Button>
          </form>
        ) : session?.kind === "owner" ? (
          <Button asChild variant="secondary">
            <Link href="/sign-out" className="no-underline">
              <LogOut aria-hidden />
              {t("signOut")}
            </Link>
          </Button>
        ) : null}
        {/* A full page load: the home page comes with its own title and state. */}
        <Button asChild variant="ghost">
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- deliberate, see above */}
          <a href="/" className="no-underline">
            <House aria-hidden />
            {t("home")}
          </a>
        </Button>
      </div>
    </main>
  );
}
