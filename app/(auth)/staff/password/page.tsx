import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requirePending } from "../pending";
import { StaffPasswordForm } from "./password-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("staffLogin.changePassword"))("title") };
}

/** After a one-time password (staff:create): the person chooses their own before anything else. */
export default async function StaffChangePasswordPage() {
  await requirePending("change_password");
  const t = await getTranslations("staffLogin.changePassword");
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 text-muted-foreground">{t("intro")}</p>
      <StaffPasswordForm />
    </>
  );
}
