import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentSession } from "@/lib/auth/guards";
import { homeFor } from "@/lib/auth/roles";
import { StaffLoginForm } from "./staff-login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("staffLogin"))("title") };
}

export default async function StaffLoginPage({ searchParams }: { searchParams: Promise<{ expired?: string }> }) {
  const session = await currentSession();
  // Signed-in staff go home, unless their account was disabled or changed since (then: sign in again).
  if (session?.kind === "staff") redirect(homeFor(session.role));
  const t = await getTranslations("staffLogin");
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 text-muted-foreground">{t("intro")}</p>
      {(await searchParams).expired ? (
        <p role="status" className="mt-4 rounded-md border p-3">
          {t("errors.expired")}
        </p>
      ) : null}
      <StaffLoginForm />
    </>
  );
}
