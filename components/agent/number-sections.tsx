import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { ScrollCue } from "@/components/scroll-cue";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { NumberView } from "@/lib/agent/number-view";
import type { LabelledPlatform } from "@/lib/platforms/labels";

/**
 * A number's history as the agent console shows it, on the number's page and on a case's page
 * alike (lib/agent/number-view.ts gives the data): the tenure records, the unbind requests with
 * each platform's status and delivery attempts, and the look-ups with each platform's answer.
 * Each table scrolls sideways in its own region on a phone, with the cue above it.
 */

type Label = (platform: LabelledPlatform) => { label: string };

export async function TenureHistory({ tenures, currentId }: { tenures: NumberView["tenures"]; currentId: string | null }) {
  const [t, tAll, format] = await Promise.all([getTranslations("agentNumbers"), getTranslations(), getFormatter()]);
  const day = (d: Date) => format.dateTime(d, "day");
  return (
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
          {tenures.map((row) => (
            <TableRow key={row.id} aria-current={row.id === currentId ? "true" : undefined}>
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
  );
}

type Batch = NumberView["batches"][number];

/**
 * The unbind requests. A page may add a badge to a request's heading (the case page marks its own
 * request) and a last column (the case page's "send again").
 */
export async function UnbindRequests<B extends Batch>({
  batches,
  label,
  badge,
  action,
}: {
  batches: B[];
  label: Label;
  badge?: (batch: B) => ReactNode;
  action?: { title: string; shown: (batch: B) => boolean; cell: (batch: B, item: B["items"][number]) => ReactNode };
}) {
  const [t, tAll, format] = await Promise.all([getTranslations("agentNumbers"), getTranslations(), getFormatter()]);
  const moment = (d: Date) => format.dateTime(d, "moment");
  return (
    <section aria-labelledby="batches" className="mt-10">
      <h2 id="batches" className="text-xl font-semibold">
        {t("batches.title")}
      </h2>
      {batches.length === 0 ? <p className="mt-3 text-muted-foreground">{t("batches.empty")}</p> : null}
      {batches.map((batch) => {
        const withAction = action?.shown(batch) ?? false;
        return (
          <div key={batch.id} className="mt-4">
            <h3 className="flex flex-wrap items-center gap-2 font-semibold">
              {t("batches.batch", { date: moment(batch.createdAt) })}
              <Badge variant={batch.completedAt ? "success" : "info"}>{batch.completedAt ? t("batches.completed") : t("batches.open")}</Badge>
              {badge?.(batch)}
            </h3>
            <ScrollCue label={t("scrollCue")} />
            <Table className={withAction ? "mt-2 min-w-[40rem]" : "mt-2 min-w-[36rem]"} regionLabel={t("batches.batch", { date: moment(batch.createdAt) })}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("batches.platform")}</TableHead>
                  <TableHead>{t("batches.status")}</TableHead>
                  <TableHead>{t("batches.attempts")}</TableHead>
                  <TableHead>{t("batches.updated")}</TableHead>
                  {withAction ? <TableHead>{action!.title}</TableHead> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {batch.items.map((item) => (
                  <TableRow key={item.id}>
                    <TableCell>{label(item.platform).label}</TableCell>
                    <TableCell>{tAll(`unbind.statusShort.${item.status}`)}</TableCell>
                    <TableCell>{item.attempts}</TableCell>
                    <TableCell>{moment(item.updatedAt)}</TableCell>
                    {withAction ? <TableCell className="min-w-48">{action!.cell(batch, item)}</TableCell> : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        );
      })}
    </section>
  );
}

/** The look-ups, newest first, each platform's answer in staff's words (at most `limit`). */
export async function LookUps({ lookups, label, limit }: { lookups: NumberView["lookups"]; label: Label; limit?: number }) {
  const [t, format] = await Promise.all([getTranslations("agentNumbers"), getFormatter()]);
  const moment = (d: Date) => format.dateTime(d, "moment");
  return (
    <section aria-labelledby="lookups" className="mt-10">
      <h2 id="lookups" className="text-xl font-semibold">
        {t("lookups.title")}
      </h2>
      {lookups.length === 0 ? <p className="mt-3 text-muted-foreground">{t("lookups.empty")}</p> : null}
      {lookups.slice(0, limit).map((lookup) => (
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
                      <TableCell>{t(`lookups.status.${answer.status === "pending" ? "asking" : answer.status}`)}</TableCell>
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
  );
}
