import { CheckCircle2, Circle, MonitorSmartphone, Smartphone } from "lucide-react";
import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { currentTenure, tenureCorrections } from "@/lib/owners/queries";
import { timeZone } from "@/lib/i18n/config";
import { ownerLookup } from "@/lib/platforms/lookup";
import { hasReports } from "@/lib/reports/service";
import { platformStates, requestProgress } from "@/lib/unbind/platform-state";
import { maskNumber } from "@/lib/phone/mask";
import { carrierFromPrefix } from "@/lib/phone/carrier";
import { carrierSeed } from "@/db/seed-data";
import { ownerSignOutEverywhere } from "./actions";
import { YourCases } from "./cases/your-cases";
import { DeclareTenureForm } from "./declare-tenure-form";
import { MyDataLink } from "./data/my-data-link";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("me"))("title") };
}


export default async function NumberPage() {
  const owner = await requireOwner();
  const number = owner.number;
  const [t, tSessions, tCases, format, locale, { handle }] = await Promise.all([
    getTranslations("me"),
    getTranslations("sessions"),
    getTranslations("ownerCases"),
    getFormatter(),
    getLocale(),
    prepareDatabase(),
  ]);
  const tenure = await currentTenure(handle.db, number);
  const lastLookup = tenure ? await ownerLookup(handle.db, { ownerId: owner.id, tenureId: tenure.id }) : null;
  const reported = tenure ? await hasReports(handle.db, { ownerId: owner.id, tenureId: tenure.id }) : false;
  // Done only when every platform that had the previous owner's account was asked; otherwise how
  // many were, with the look-up page (where the rest can be asked) as the link.
  const unbind = tenure ? requestProgress((await platformStates(handle.db, owner.id, tenure.id)).values()) : { total: 0, requested: 0 };
  const unbindStatus = unbind.total === 0 ? "todo" : unbind.requested === unbind.total ? "done" : unbind.requested > 0 ? "partial" : "available";
  const tasks = [
    { key: "verify", status: "done" },
    { key: "check", status: lastLookup ? "done" : "available", href: "/me/platforms" },
    { key: "unbind", status: unbindStatus, href: unbindStatus === "done" ? "/unbind" : "/me/platforms" },
    { key: "report", status: reported ? "done" : "available", href: reported ? "/reports" : "/reports/new" },
  ] as const;
  // Carrier records first; without one, the carrier the number's prefix was assigned to.
  const carrier = tenure?.carrierZh
    ? { nameZh: tenure.carrierZh, nameEn: tenure.carrierEn ?? tenure.carrierZh }
    : await carrierFromPrefix(number).then((code) => carrierSeed.find((c) => c.code === code));
  const carrierName = carrier ? (locale === "en" ? carrier.nameEn : carrier.nameZh) : t("carrierUnknown");
  const today = new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());
  // The declared day as the date field wants it (YYYY-MM-DD, Beijing time), and the corrections so far.
  const tenureDay = tenure ? new Intl.DateTimeFormat("en-CA", { timeZone }).format(tenure.startedAt) : undefined;
  const [lastCorrection] = tenure?.source === "self_declared" ? await tenureCorrections(handle.db, tenure.id) : [];
  const tenureText = tenure
    ? t(
        tenure.source === "carrier_record" ? "tenureFromCarrier" : tenure.source === "self_declared" ? "tenureSelfDeclared" : "tenureAgentConfirmed",
        { date: format.dateTime(tenure.startedAt, "day") },
      )
    : null;

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <section aria-label={t("title")} className="mt-6 rounded-lg border border-border bg-surface p-5">
        <p className="flex items-center gap-3 font-mono text-3xl font-semibold tracking-wide">
          <Smartphone aria-hidden className="size-7 text-primary" />
          {maskNumber(number)}
        </p>
        <dl className="mt-4 grid gap-3 sm:grid-cols-[auto_1fr] sm:gap-x-6">
          <dt className="font-medium text-muted-foreground">{t("carrier")}</dt>
          <dd>{carrierName}</dd>
          <dt className="font-medium text-muted-foreground">{t("tenure")}</dt>
          <dd>
            {tenure ? (
              <>
                <p>{tenureText}</p>
                {lastCorrection ? (
                  <p className="mt-1 text-sm text-muted-foreground">
                    {t("correctedOn", { when: format.dateTime(lastCorrection.at, "day"), previous: format.dateTime(lastCorrection.previousStartedAt, "day") })}
                  </p>
                ) : null}
                {tenure.source === "self_declared" ? (
                  <>
                    {/* Declaring or correcting it opened a tenure_review case: it is listed under "Your cases". */}
                    <p className="mt-1 text-sm text-muted-foreground">{tCases("tenureReview")}</p>
                    <DeclareTenureForm mode="correct" today={today} current={tenureDay} />
                  </>
                ) : (
                  // Not the owner's to change: say who can.
                  <p className="mt-1 text-sm text-muted-foreground">
                    {t(tenure.source === "carrier_record" ? "tenureFixedByCarrier" : "tenureFixedByAgent", { carrier: carrierName })}
                  </p>
                )}
              </>
            ) : (
              <>
                <p>{t("notOnRecord")}</p>
                <DeclareTenureForm today={today} />
              </>
            )}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="tasks-title" className="mt-10">
        <h2 id="tasks-title" className="text-xl font-semibold">
          {t("tasksTitle")}
        </h2>
        <ol className="mt-4 divide-y divide-border rounded-lg border border-border">
          {tasks.map(({ key, status, ...task }) => (
            <li key={key} className="relative flex min-h-14 items-center justify-between gap-4 px-4 py-3 focus-within:bg-muted hover:bg-muted/60">
              <span className="flex items-center gap-3">
                {status === "done" ? (
                  <CheckCircle2 aria-hidden className="size-5 shrink-0 text-success" />
) : (
                  <Circle aria-hidden className="size-5 shrink-0 text-muted-foreground" />
                )}
                <span>
                  {"href" in task ? (
                    <Link href={task.href} className="font-medium text-primary underline-offset-4 after:absolute after:inset-0 hover:underline">
                      {t(`tasks.${key}`)}
                    </Link>
                  ) : (
                    t(`tasks.${key}`)
                  )}
                  {status === "partial" ? (
                    <span className="block text-sm text-muted-foreground">
                      {t("taskStatus.partial", { done: unbind.requested, total: unbind.total, left: unbind.total - unbind.requested })}
                    </span>
                  ) : null}
                </span>
              </span>
              <Badge variant={status === "done" ? "success" : status === "available" || status === "partial" ? "info" : "neutral"}>
                {t(`taskStatus.${status === "partial" ? "inProgress" : status}`)}
              </Badge>
            </li>
          ))}
        </ol>
      </section>

      <YourCases db={handle.db} owner={owner} carrierName={carrierName} />

      <section aria-labelledby="sessions-title" className="mt-10 rounded-lg border border-border p-5">
        <h2 id="sessions-title" className="text-xl font-semibold">
          {tSessions("title")}
        </h2>
        <p className="mt-2 text-muted-foreground">{tSessions("intro")}</p>
        <form action={ownerSignOutEverywhere} className="mt-4">
          <Button type="submit" variant="secondary">
            <MonitorSmartphone aria-hidden />
            {tSessions("signOutEverywhere")}
          </Button>
        </form>
      </section>

      <MyDataLink />
    </main>
  );
}
