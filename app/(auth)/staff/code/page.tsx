import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { StaffCodeForm } from "../step-form";
import { requirePending } from "../pending";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("staffTotp"))("title") };
}

/** The second factor of an enrolled account. */
export default async function StaffCodePage() {
  await requirePending("totp");
  const t = await getTranslations("staffTotp");
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 text-muted-foreground">{t("intro")}</p>
      <StaffCodeForm />
    </>
  );
}
