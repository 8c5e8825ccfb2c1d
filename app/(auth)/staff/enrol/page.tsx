import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import QRCode from "qrcode";
import { prepareDatabase } from "@/db/startup";
import { enrolmentSecret } from "@/lib/auth/staff";
import { totpUri } from "@/lib/auth/totp";
import { StaffEnrolForm } from "../step-form";
import { requirePending } from "../pending";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("staffEnrol"))("title") };
}

/** First sign-in: set up the authenticator app. The QR code is an inline SVG (no script, no request). */
export default async function StaffEnrolPage() {
  // "verified": the first code was just confirmed and this page re-renders around the recovery
  // codes (kept in the form's state); the secret is not shown again.
  const pending = await requirePending(["enrol", "verified"]);
  const t = await getTranslations("staffEnrol");
  if (pending.stage === "verified") return <EnrolLayout title={t("title")} intro={t("intro")} steps={null} />;
  const { handle } = await prepareDatabase();
  const enrolment = await enrolmentSecret(handle.db, pending);
  if (!enrolment) redirect("/staff/login?expired=1");
  const svg = await QRCode.toString(totpUri(enrolment.secret, enrolment.email), { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  const grouped = enrolment.secret.match(/.{1,4}/g)!.join(" ");
  const steps = (
      <ol className="mt-6 flex list-decimal flex-col gap-4 ps-6">
        <li>
          {t("scan")}
          <div
            role="img"
            aria-label={t("qrLabel")}
            className="mt-3 w-56 max-w-full rounded-md bg-white p-2 [&_svg]:h-auto [&_svg]:w-full"
            dangerouslySetInnerHTML={{ __html: svg }}
          />
        </li>
        <li>
          {t("manual")}
          <p className="mt-2 break-all rounded-md border p-3 font-mono text-lg" data-testid="totp-secret">
            {grouped}
          </p>
        </li>
        <li>{t("confirm")}</li>
      </ol>
  );
  return <EnrolLayout title={t("title")} intro={t("intro")} steps={steps} />;
}

/** One shape for both states, so the form (and the recovery codes in its state) keeps its place in the tree. */
function EnrolLayout({ title, intro, steps }: { title: string; intro: string; steps: React.ReactNode }) {
  return (
    <>
      <h1 className="text-2xl font-bold">{title}</h1>
      <p className="mt-2 text-muted-foreground">{intro}</p>
      {steps}
      <StaffEnrolForm />
    </>
  );
}
