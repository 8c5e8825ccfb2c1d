import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { prepareDatabase } from "@/db/startup";
import { loginPathFor, safeReturnPath } from "@/lib/auth/return-to";
import { appClock } from "@/lib/clock";
import { currentChallengeId } from "@/lib/otp/challenge-cookie";
import { OTP_POLICY } from "@/lib/otp/config";
import { challengeById } from "@/lib/otp/queries";
import { formatNumber } from "@/lib/phone/format";
import { ResendForm } from "./resend-form";
import { VerifyForm } from "./verify-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("verify"))("title") };
}

export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // Carried from the number step; checked again here and once more when the code is sent.
  const next = safeReturnPath((await searchParams).next);
  const changeNumber = loginPathFor(next);
  const challengeId = await currentChallengeId();
  const { handle } = await prepareDatabase();
  const challenge = await challengeById(handle.db, challengeId);
  if (!challenge) redirect(changeNumber);
  const t = await getTranslations("verify");
  const waitSeconds = Math.max(0, Math.ceil((challenge.createdAt.getTime() + OTP_POLICY.resendIntervalMs - appClock().now().getTime()) / 1000));

  return (
    <>
      <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      {/* The whole number the owner just typed, so a typo can be seen (GOV.UK "Confirm a phone number"). */}
      <p className="mt-3 text-muted-foreground">
        {t.rich("intro", {
          number: formatNumber(challenge.number),
          b: (chunks) => <strong className="whitespace-nowrap font-mono text-foreground">{chunks}</strong>,
        })}{" "}
        <Link href={changeNumber} className="inline-flex min-h-11 items-center text-primary underline">
          {t("wrongNumber")}
        </Link>
      </p>
      <VerifyForm next={next} />
      <ResendForm waitSeconds={waitSeconds} />
      <details className="mt-8 rounded-md border border-border p-4">
        <summary className="min-h-11 cursor-pointer content-center font-medium text-primary">{t("notReceived")}</summary>
        <p className="mt-2 text-muted-foreground">{t("notReceivedBody")}</p>
        <Link href={changeNumber} className="mt-4 inline-flex min-h-11 items-center text-primary underline">
          {t("changeNumber")}
        </Link>
      </details>
    </>
  );
}
