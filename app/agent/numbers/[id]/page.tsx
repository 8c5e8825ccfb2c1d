import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { areaMetadata } from "@/components/not-for-you";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { prepareDatabase } from "@/db/startup";
import { openNumberView } from "@/lib/agent/number-view";
import { requireArea } from "@/lib/auth/guards";
import { LIST_ROW_ATTRIBUTE, LIST_ROW_CLASS } from "@/lib/list-keys";
import { maskNumber } from "@/lib/phone/mask";
import { platformLabeler } from "@/lib/platforms/labels";
import { ListKeys, ListKeysHint } from "@/components/list-keys";
import { ScrollCue } from "@/components/scroll-cue";
import { LookUps, TenureHistory, UnbindRequests } from "@/components/agent/number-sections";
import { RevealNumber } from "@/components/agent/reveal-number";
import { revealNumber } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return areaMetadata("agent", async () => ({ title: (await getTranslations("agentNumbers"))("pageTitle") }));
}

/**
 * A number as the agent's carrier knows it, by tenure id. Another carrier's tenure or an unknown
 * id is a 404, the same for both. Opening the page is audited (the owners' activity is personal
 * data); the number stays masked unless the agent reveals it (audited again, in the action).
 */
export default async function AgentNumberPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireArea("agent");
  const { id } = await params;
  const [t, tAll, format, { handle }] = await Promise.all([getTranslations("agentNumbers"), getTranslations(), getFormatter(), prepareDatabase()]);
  const view = await openNumberView(handle.db, id, { staffId: user.id, scope: user.carrierId });
  if (!view) notFound();
  const label = await platformLabeler(handle.db);
  const day = (d: Date) => format.dateTime(d, "day");
  const moment = (d: Date) => format.dateTime(d, "moment");
  // Case kinds and statuses grow with the case work (issue 14); one not named yet reads "Other".
  const named = (group: "cases.kindName" | "cases.statusName", value: string) => (t.has(`${group}.${value}`) ? t(`${group}.${value}` as never) : t(`${group}.other`));

  return (
    <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
      <p>
        <Link href="/agent/numbers" className="inline-flex min-h-11 items-center text-primary underline underline-offset-4">
          {t("backToSearch")}
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-bold">{t("pageTitle")}</h1>
      <div className="mt-4">
        <RevealNumber
          action={revealNumber}
          id={view.tenureId}
          masked={maskNumber(view.number)}
          testId="agent-number"
          labels={{ label: t("numberLabel"), maskedNote: t("maskedNote"), revealedNote: t("revealedNote"), reveal: t("reveal"), revealing: t("revealing") }}
        />
      </div>

      <TenureHistory tenures={view.tenures} currentId={view.tenureId} />

      <LookUps lookups={view.lookups} label={label} />

      <UnbindRequests batches={view.batches} label={label} />

      <section aria-labelledby="reports" className="mt-10">
        <h2 id="reports" className="text-xl font-semibold">
          {t("reports.title")}
        </h2>
        {view.reports.length === 0 ? (
          <p className="mt-3 text-muted-foreground">{t("reports.empty")}</p>
        ) : (
          <>
            <ScrollCue label={t("scrollCue")} />
            <Table className="mt-3 min-w-[40rem]" regionLabel={t("reports.title")}>
              <TableCaption>{t("reports.caption")}</TableCaption>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("reports.category")}</TableHead>
                  <TableHead>{t("reports.channel")}</TableHead>
                  <TableHead>{t("reports.status")}</TableHead>
                  <TableHead>{t("reports.created")}</TableHead>
                  <TableHead>{t("reports.updated")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {view.reports.map((report) => (
                  <TableRow key={report.id}>
                    <TableCell>{tAll(`reports.category.${report.category}`)}</TableCell>
                    <TableCell>{t(`reports.channelName.${report.channel}`)}</TableCell>
                    <TableCell>{tAll(`reports.statusShort.${report.status}`)}</TableCell>
                    <TableCell>{day(report.createdAt)}</TableCell>
                    <TableCell>{day(report.updatedAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </section>

      <section aria-labelledby="cases" className="mt-10">
        <h2 id="cases" className="text-xl font-semibold">
          {t("cases.title")}
        </h2>
        {view.cases.length === 0 ? (
          <p className="mt-3 text-muted-foreground">{t("cases.empty")}</p>
        ) : (
          <>
            <ListKeysHint>{tAll("agentQueue.keyboardHint")}</ListKeysHint>
            <ScrollCue label={t("scrollCue")} />
            <ListKeys>
              <Table className="mt-3 min-w-[32rem]" regionLabel={t("cases.title")}>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t("cases.kind")}</TableHead>
                    <TableHead>{t("cases.status")}</TableHead>
                    <TableHead>{t("cases.created")}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.cases.map((c) => (
                    <TableRow key={c.id} {...{ [LIST_ROW_ATTRIBUTE]: "" }} className={LIST_ROW_CLASS}>
                      <TableCell>
                        <Link href={`/agent/cases/${c.id}`} className="inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">
                          {named("cases.kindName", c.kind)}
                        </Link>
                      </TableCell>
                      <TableCell>{named("cases.statusName", c.status)}</TableCell>
                      <TableCell>{moment(c.createdAt)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ListKeys>
          </>
        )}
      </section>
    </main>
  );
}
