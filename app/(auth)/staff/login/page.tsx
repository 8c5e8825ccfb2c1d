import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentUser } from "@/lib/auth/guards";
import { prepareDatabase } from "@/db/startup";
import { homeFor } from "@/lib/auth/roles";
import { staffSessionValid } from "@/lib/auth/staff";
import { StaffLoginForm } from "./staff-login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("staffLogin"))("title") };
}

export default async function StaffLoginPage() {
  const user = await currentUser();
  // Signed-in staff go home, unless their account was disabled or changed since (then: sign in again).
  if (user && user.role !== "owner") {
    const { handle } = await prepareDatabase();
    if (await staffSessionValid(handle.db, { id: user.id, role: user.role, carrierId: user.carrierId ?? null })) redirect(homeFor(user.role));
  }
  const t = await getTranslations("staffLogin");
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 text-muted-foreground">{t("intro")}</p>
      <StaffLoginForm />
    </>
  );
}
