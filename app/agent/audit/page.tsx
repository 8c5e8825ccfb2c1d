import { AlertCircle, ChevronLeft, ChevronRight, MoveHorizontal } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ListKeys, ListKeysHint } from "@/components/list-keys";
import { areaMetadata, notForYouMetadata } from "@/components/not-for-you";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { prepareDatabase } from "@/db/startup";
import { recordAudit } from "@/lib/audit";
import { AUDIT_PAGE_SIZE, AUDIT_SUBJECT_TYPES, listAudit, parseAuditParams, type AuditEntryView } from "@/lib/audit-queries";
import { currentSession } from "@/lib/auth/guards";
import { staffDisplayName } from "@/lib/auth/staff-name";
import { carrierById } from "@/lib/carriers/queries";
import { LIST_ROW_ATTRIBUTE, LIST_ROW_CLASS } from "@/lib/list-keys";
import { AUDIT_ROLES, requireAuditViewer } from "./guard";

export async function generateMetadata(): Promise<Metadata> {
  const session = await currentSession();
  if (session?.kind === "staff" && !AUDIT_ROLES.includes(session.role)) return notForYouMetadata();
  return areaMetadata("agent", async () => ({ title: (await getTranslations("agentAudit"))("title") }));
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireAuditViewer();
  const [t, tAll, format, locale, { handle }, params] = await Promise.all([
    getTranslations("agentAudit"),
    getTranslations(),
    getFormatter(),
    getLocale(),
    prepareDatabase(),
    searchParams,
  ]);
  const db = handle.db;
  const { raw, filters, problems, page } = parseAuditParams(params);
  // A supervisor always has a carrier (a check constraint); only an admin reads every carrier's log.
  const scope = user.carrierId ? { carrierId: user.carrierId } : { all: true as const };
  const carrier = user.carrierId ? await carrierById(db, user.carrierId) : null;
  const { entries, hasNext } = await listAudit(db, scope, filters, page);
  // Reading the log is itself a read of who did what: audited, with which filters (ids and codes only).
  await recordAudit(db, {
    actorType: "staff",
    actorId: user.id,
    action: "audit.viewed",
    subjectType: "carrier_audit_log",
    subjectId: user.carrierId,
    metadata: { filters: Object.keys(filters), page, rows: entries.length },
  });

  const filtered = Object.keys(filters).length > 0;
  const hrefFor = (p: number) => {
    const query = new URLSearchParams();
    if (raw.actor) query.set("actor", raw.actor);
    if (raw.action) query.set("action", raw.action);
    if (raw.subjectType) query.set("subject", raw.subjectType);
    if (raw.from) query.set("from", raw.from);
    if (raw.to) query.set("to", raw.to);
    if (p > 1) query.set("page", String(p));
    const qs = query.toString();
    return qs ? `/agent/audit?${qs}` : "/agent/audit";
  };
  const problemFor = (field: "actor" | "action" | "subjectType" | "from" | "to") =>
    problems.includes(field) || ((field === "from" || field === "to") && problems.includes("range"));
  const selectClass =
    "h-11 w-full rounded-md border border-input bg-background px-3 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring aria-invalid:border-danger";

  const actionWords = (code: string) => (t.has(`actions.${code}`) ? t(`actions.${code}`) : null);
  const subjectWords = (type: string) => (t.has(`subjects.${type}`) ? t(`subjects.${type}`) : type);
  // A case and a number's page can be opened from their rows (j/k move between those rows); the
  // pages check the carrier again, so a link never shows more than its page would.
  const subjectHref = (entry: AuditEntryView) =>
    !entry.subjectId ? null : entry.subjectType === "agent_case" ? `/agent/cases/${entry.subjectId}` : entry.subjectType === "number_tenure" ? `/agent/numbers/${entry.subjectId}` : null;
  const actorCell = (entry: AuditEntryView) => (
    <>
      <span className="block">
        {entry.actorType === "staff" && entry.actorName ? staffDisplayName(entry.actorName, locale) : t(`actorTypes.${entry.actorType}`)}
      </span>
      {entry.actorId ? <span className="block font-mono text-xs text-muted-foreground">{entry.actorId}</span> : null}
    </>
  );

  return (
    <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {carrier ? <p className="mt-2 text-muted-foreground">{t("carrier", { carrier: locale === "en" ? carrier.nameEn : carrier.nameZh })}</p> : null}
      <p className="mt-2 max-w-3xl text-muted-foreground">{scope.carrierId ? t("intro") : t("introAll")}</p>

      <form method="get" action="/agent/audit" className="mt-6 rounded-md border border-border p-4" aria-labelledby="audit-filters-title">
        <h2 id="audit-filters-title" className="text-lg font-semibold">
          {t("filtersTitle")}
        </h2>
        {problems.length > 0 ? (
          <div role="alert" className="mt-3 rounded-md border-4 border-danger p-3">
            <p className="flex items-center gap-2 font-semibold">
              <AlertCircle aria-hidden className="size-5 shrink-0 text-danger" />
              {t("problemsTitle")}
            </p>
            <ul className="mt-2 list-disc ps-6 text-sm">
              {problems.map((p) => (
                <li key={p}>{t(`problems.${p}`)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-actor">{t("actor")}</Label>
            <p id="audit-actor-hint" className="text-sm text-muted-foreground">
              {t("actorHint")}
            </p>
            <Input id="audit-actor" name="actor" defaultValue={raw.actor} aria-describedby="audit-actor-hint" aria-invalid={problemFor("actor") || undefined} autoComplete="off" />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-action">{t("action")}</Label>
            <p id="audit-action-hint" className="text-sm text-muted-foreground">
              {t("actionHint")}
            </p>
            <Input id="audit-action" name="action" defaultValue={raw.action} aria-describedby="audit-action-hint" aria-invalid={problemFor("action") || undefined} autoComplete="off" />
          </div>
          <div className="flex flex-col gap-1.5 sm:justify-end">
            <Label htmlFor="audit-subject">{t("subject")}</Label>
            <select id="audit-subject" name="subject" defaultValue={raw.subjectType} className={selectClass} aria-invalid={problemFor("subjectType") || undefined}>
              <option value="">{t("anySubject")}</option>
              {AUDIT_SUBJECT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {subjectWords(type)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-from">{t("from")}</Label>
            <Input id="audit-from" name="from" type="date" defaultValue={raw.from} aria-invalid={problemFor("from") || undefined} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="audit-to">{t("to")}</Label>
            <Input id="audit-to" name="to" type="date" defaultValue={raw.to} aria-invalid={problemFor("to") || undefined} />
          </div>
          <div className="flex flex-wrap items-end gap-3">
            <Button type="submit">{t("apply")}</Button>
            {filtered || problems.length > 0 ? (
              <Button asChild variant="secondary">
                <Link href="/agent/audit">{t("clear")}</Link>
              </Button>
            ) : null}
          </div>
        </div>
      </form>

      <p className="mt-6 flex items-center gap-2 text-sm text-muted-foreground md:hidden">
        <MoveHorizontal aria-hidden className="size-4 shrink-0" />
        {t("scrollHint")}
      </p>
      <ListKeysHint>{tAll("agentQueue.keyboardHint")}</ListKeysHint>
      <ListKeys>
        <Table className="mt-2 min-w-[56rem] md:mt-6" regionLabel={t("tableLabel")}>
          <TableCaption>{t("caption", { size: AUDIT_PAGE_SIZE })}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>{t("at")}</TableHead>
              <TableHead>{t("who")}</TableHead>
              <TableHead>{t("what")}</TableHead>
              <TableHead>{t("subjectCol")}</TableHead>
              <TableHead>{t("ip")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.length === 0 ? (
              <TableRow>
                <TableCell colSpan={5}>{filtered ? t("emptyFiltered") : t("empty")}</TableCell>
              </TableRow>
            ) : (
              entries.map((entry) => {
                const words = actionWords(entry.action);
                return (
                  <TableRow key={entry.id} {...(subjectHref(entry) ? { [LIST_ROW_ATTRIBUTE]: "" } : {})} className={LIST_ROW_CLASS}>
                    <TableCell className="whitespace-nowrap">{format.dateTime(entry.at, "moment")}</TableCell>
                    <TableCell>{actorCell(entry)}</TableCell>
                    <TableCell>
                      <span className="block">{words ?? <code className="font-mono">{entry.action}</code>}</span>
                      {words ? <code className="block font-mono text-xs text-muted-foreground">{entry.action}</code> : null}
                    </TableCell>
                    <TableCell>
                      {entry.subjectType ? (
                        <>
                          {subjectHref(entry) ? (
                            <Link href={subjectHref(entry)!} className="inline-flex min-h-11 items-center text-primary underline underline-offset-4">
                              {subjectWords(entry.subjectType)}
                            </Link>
                          ) : (
                            <span className="block">{subjectWords(entry.subjectType)}</span>
                          )}
                          {entry.subjectId ? <span className="block font-mono text-xs text-muted-foreground">{entry.subjectId}</span> : null}
                        </>
                      ) : (
                        <span className="text-muted-foreground">—</span>
                      )}
                    </TableCell>
                    <TableCell className="font-mono whitespace-nowrap">{entry.ip ?? <span className="font-sans text-muted-foreground">{t("noIp")}</span>}</TableCell>
                  </TableRow>
                );
              })
            )}
          </TableBody>
        </Table>
      </ListKeys>

      {page > 1 || hasNext ? (
        <nav aria-label={t("pagination")} className="mt-4 flex flex-wrap items-center gap-3">
          {page > 1 ? (
            <Button asChild variant="secondary">
              <Link href={hrefFor(page - 1)}>
                <ChevronLeft aria-hidden className="size-4" />
                {t("previous")}
              </Link>
            </Button>
          ) : null}
          <span aria-current="page">{t("page", { page })}</span>
          {hasNext ? (
            <Button asChild variant="secondary">
              <Link href={hrefFor(page + 1)}>
                {t("next")}
                <ChevronRight aria-hidden className="size-4" />
              </Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </main>
  );
}
