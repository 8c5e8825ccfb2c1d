import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { areaMetadata } from "@/components/not-for-you";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { prepareDatabase } from "@/db/startup";
import { openNumberView } from "@/lib/agent/number-view";
import { requireArea } from "@/lib/auth/guards";
import { LIST_ROW_ATTRIBUTE, LIST_ROW_CLASS } from "@/lib/list-keys";
import { maskNumber } from "@/lib/phone/mask";
import { platformLabeler } from "@/lib/platforms/labels";
import { ListKeys, ListKeysHint } from "@/components/list-keys";
import { ScrollCue } from "@/components/scroll-cue";
import { RevealNumber } from "./reveal-number";

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
      <RevealNumber id={view.tenureId} masked={maskNumber(view.number)} />

      <section aria-labelledby="tenures" className="mt-10">
        <h2 id="tenures" className="text-xl font-semibold">
          {t("tenures.title")}
        </h2>
        <ScrollCue label={t("scrollCue")} />
        <Table className="mt-3 min-w-[32rem]" regionLabel={t("tenures.title")}>
          <TableHeader>
            <TableRow>
              <TableHead>{t("tenures.started")}</TableHead>
              <TableHead>{t("tenures.ended")}</TableHead>
              <TableHead>{t("tenures.source")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.tenures.map((row) => (
              <TableRow key={row.id} aria-current={row.id === view.tenureId ? "true" : undefined}>
                <TableCell>{day(row.startedAt)}</TableCell>
                <TableCell>{row.endedAt ? day(row.endedAt) : t("tenures.current")}</TableCell>
                <TableCell>
                  <Badge variant={row.source === "self_declared" ? "warning" : "info"}>{tAll(`tenureSource.${row.source}`)}</Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>

      <section aria-labelledby="lookups" className="mt-10">
        <h2 id="lookups" className="text-xl font-semibold">
          {t("lookups.title")}
        </h2>
        {view.lookups.length === 0 ? <p className="mt-3 text-muted-foreground">{t("lookups.empty")}</p> : null}
        {view.lookups.map((lookup) => (
          <div key={lookup.id} className="mt-4">
            <h3 className="font-semibold">{moment(lookup.startedAt)}</h3>
            {lookup.answers.length === 0 ? (
              <p className="mt-2 text-muted-foreground">{t("lookups.noAnswers")}</p>
            ) : (
              <>
                <ScrollCue label={t("scrollCue")} />
                <Table className="mt-2 min-w-[32rem]" regionLabel={`${t("lookups.answers")} · ${moment(lookup.startedAt)}`}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t("lookups.platform")}</TableHead>
                      <TableHead>{t("lookups.answer")}</TableHead>
                      <TableHead>{t("lookups.date")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {lookup.answers.map((answer) => (
                      <TableRow key={answer.platform.id}>
                        <TableCell>{label(answer.platform).label}</TableCell>
                        <TableCell>{tAll(`agentNumbers.lookups.status.${answer.status === "pending" ? "asking" : answer.status}`)}</TableCell>
                        <TableCell>{answer.answeredAt ? moment(answer.answeredAt) : "—"}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </>
            )}
          </div>
        ))}
      </section>

      <section aria-labelledby="batches" className="mt-10">
        <h2 id="batches" className="text-xl font-semibold">
          {t("batches.title")}
        </h2>
        {view.batches.length === 0 ? <p className="mt-3 text-muted-foreground">{t("batches.empty")}</p> : null}
        {view.batches.map((batch) => (
          <div key={batch.id} className="mt-4">
            <h3 className="font-semibold">
              {t("batches.batch", { date: moment(batch.createdAt) })}{" "}
              <Badge variant={batch.completedAt ? "success" : "info"}>{batch.completedAt ? t("batches.completed") : t("batches.open")}</Badge>
            </h3>
            <ScrollCue label={t("scrollCue")} />
            <Table className="mt-2 min-w-[36rem]" regionLabel={t("batches.batch", { date: moment(batch.createdAt) })}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("batches.platform")}</TableHead>
                  <TableHead>{t("batches.status")}</TableHead>
                  <TableHead>{t("batches.attempts")}</TableHead>
                  <TableHead>{t("batches.updated")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {batch.items.map((item) => (
                  <TableRow key={item.id}>
                    <TableCell>{label(item.platform).label}</TableCell>
                    <TableCell>{tAll(`unbind.statusShort.${item.status}`)}</TableCell>
                    <TableCell>{item.attempts}</TableCell>
                    <TableCell>{moment(item.updatedAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      </section>

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
