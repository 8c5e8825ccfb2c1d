import { AlertTriangle, ChevronLeft, ChevronRight, Clock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ListKeys, ListKeysHint } from "@/components/list-keys";
import { areaMetadata } from "@/components/not-for-you";
import { ScrollCue } from "@/components/scroll-cue";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CASE_KINDS, CASE_STATUSES } from "@/db/enums";
import { prepareDatabase } from "@/db/startup";
import { recordAudit } from "@/lib/audit";
import { carrierTeam, queueCarrier, withNames, type QueueViewRow } from "@/lib/agent/queue";
import { hasFilters, isUuid, pageCount, parseQueueParams, QUEUE_AGES, QUEUE_PAGE_SIZE, queueFilter, queueQuery } from "@/lib/agent/queue-params";
import { requireArea } from "@/lib/auth/guards";
import { staffDisplayName } from "@/lib/auth/staff-name";
import { caseQueue, unassignedQueue } from "@/lib/cases/queries";
import { timeLeft } from "@/lib/cases/status";
import { appClock } from "@/lib/clock";
import { LIST_ROW_ATTRIBUTE, LIST_ROW_CLASS } from "@/lib/list-keys";
import { platformLabeler } from "@/lib/platforms/labels";
import { cn } from "@/lib/utils";
import { AssignTo, AssignToMe, RouteTo } from "./queue-actions";

export async function generateMetadata(): Promise<Metadata> {
  return areaMetadata("agent", async () => ({ title: (await getTranslations("agentQueue"))("title") }));
}

type SearchParams = Record<string, string | string[] | undefined>;

const asQuery = (raw: SearchParams) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) for (const v of [value ?? []].flat()) query.append(key, v);
  const qs = query.toString();
  return qs ? `?${qs}` : "";
};

const selectClass =
  "h-11 w-full rounded-md border border-input bg-background px-3 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring";

/**
 * The case queue (docs/agent-console.md "Queue"): one carrier's cases, nearest deadline first,
 * filtered by the URL (lib/agent/queue-params.ts) and paginated in the query. An agent and a
 * supervisor always see their own carrier's, whatever the URL says; an admin chooses a carrier and
 * also sees the cases no carrier was found for, to route them. The rows show the owners' numbers
 * masked and no text; the read is audited all the same (`queue.viewed`, with the case ids shown),
 * as opening a case is. The deadline comes right after the case, so on a phone an overdue case says so before
 * the table is scrolled.
 */
export default async function AgentQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireArea("agent");
  const isAdmin = user.role === "admin";
  const leads = user.role === "supervisor" || isAdmin;
  const [t, tCases, format, locale, { handle }, raw] = await Promise.all([
    getTranslations("agentQueue"),
    getTranslations("agentNumbers.cases"),
    getFormatter(),
    getLocale(),
    prepareDatabase(),
    searchParams,
  ]);
  const db = handle.db;
  const now = appClock().now();
  const params = parseQueueParams(raw, { anyAssignee: leads, chooseCarrier: isAdmin });
  const { carrier, all: carriers } = await queueCarrier(db, user, params.carrier);
  if (!carrier) delete params.carrier;
  const team = carrier && leads ? await carrierTeam(db, carrier.id) : [];
  // A staff id from the URL counts only when it is someone of this team (the select shows no one else).
  if (params.assignee && isUuid(params.assignee) && !team.some((m) => m.id === params.assignee)) delete params.assignee;
  // One view, one URL: the GET form's empty fields, unknown values and a shuffled order all land on
  // the canonical query (what a bookmark or a shared link then holds).
  const canonical = queueQuery(params);
  if (asQuery(raw) !== canonical) redirect(`/agent${canonical}`);
  const queue = carrier ? await caseQueue(db, queueFilter(params, { carrierId: carrier.id, me: user.id, now })) : null;
  const [rows, unassigned, label] = await Promise.all([
    queue ? withNames(db, queue.rows) : Promise.resolve([]),
    isAdmin ? unassignedQueue(db, { limit: 50 }).then((r) => withNames(db, r)) : Promise.resolve([]),
    platformLabeler(db),
  ]);
  const shown = [...rows, ...unassigned].map((r) => r.id);
  if (shown.length > 0) {
    await recordAudit(db, { actorType: "staff", actorId: user.id, action: "queue.viewed", subjectType: "carrier", subjectId: carrier?.id ?? null, carrierId: carrier?.id ?? null, metadata: { cases: shown } });
  }

  const carrierName = (c: { nameZh: string; nameEn: string }) => (locale === "en" ? c.nameEn : c.nameZh);
  const named = (group: "kindName" | "statusName", value: string) => (tCases.has(`${group}.${value}`) ? tCases(`${group}.${value}` as never) : tCases(`${group}.other`));
  const staffName = (r: QueueViewRow) => (r.assignedTo ? (r.assigneeName ? staffDisplayName(r.assigneeName, locale) : t("formerStaff")) : t("unassigned"));
  const caseLabel = (r: QueueViewRow) => `${named("kindName", r.kind)} #${r.id.slice(0, 8)}`;
  const filtered = hasFilters(params);
  const pages = queue ? pageCount(queue.total, QUEUE_PAGE_SIZE) : 1;
  const beyondEnd = queue !== null && rows.length === 0 && params.page > 1;

  const deadlineCell = (r: QueueViewRow) => {
    const left = timeLeft(r, now);
    if (!left) return <span className="text-muted-foreground">{t("deadline.settled")}</span>;
    const time = t(`span.${left.span.unit}`, { value: left.span.value });
    const words = t(`deadline.${left.deadline}${left.overdue ? "_overdue" : ""}`, { time });
    return left.overdue ? (
      <span className="flex flex-col gap-0.5">
        <span className="inline-flex items-center gap-1.5 font-semibold text-danger">
          <AlertTriangle aria-hidden data-testid="overdue-icon" className="size-4 shrink-0" />
          {t("overdueWord")}
        </span>
        <span>{words}</span>
      </span>
    ) : (
      <span className="inline-flex items-center gap-1.5">
        <Clock aria-hidden className="size-4 shrink-0 text-muted-foreground" />
        {words}
      </span>
    );
  };

  const caseCell = (r: QueueViewRow) => (
    <>
      <Link href={`/agent/cases/${r.id}`} data-list-primary="" className="inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">
        {named("kindName", r.kind)}
      </Link>
      <span className="block font-mono text-xs text-muted-foreground">
        {r.maskedNumber ? `${r.maskedNumber} · ` : ""}#{r.id.slice(0, 8)}
      </span>
    </>
  );

  return (
    <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold">{carrier ? t("heading", { carrier: carrierName(carrier) }) : t("headingNoCarrier")}</h1>
      <p className="mt-2 max-w-3xl text-muted-foreground">{isAdmin ? t("introAdmin") : t("intro")}</p>

      {isAdmin ? (
        <section aria-labelledby="unassigned-title" className="mt-8">
          <h2 id="unassigned-title" className="text-xl font-semibold">
            {t("unassignedQueue.title")}
          </h2>
          <p className="mt-2 max-w-3xl text-muted-foreground">{t("unassignedQueue.intro")}</p>
          {unassigned.length === 0 ? (
            <p className="mt-3">{t("unassignedQueue.empty")}</p>
          ) : (
            <>
              <ScrollCue label={t("scrollCue")} />
              <ListKeys>
                <Table className="mt-3 min-w-[44rem]" regionLabel={t("unassignedQueue.tableLabel")}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t("col.case")}</TableHead>
                      <TableHead>{t("col.platform")}</TableHead>
                      <TableHead>{t("col.opened")}</TableHead>
                      <TableHead>{t("col.deadline")}</TableHead>
                      <TableHead>{t("col.actions")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {unassigned.map((r) => (
                      <TableRow key={r.id} {...{ [LIST_ROW_ATTRIBUTE]: "" }} className={LIST_ROW_CLASS}>
                        <TableCell>{caseCell(r)}</TableCell>
                        <TableCell>{r.platform ? label(r.platform).label : t("noPlatform")}</TableCell>
                        <TableCell className="whitespace-nowrap">{format.dateTime(r.createdAt, "moment")}</TableCell>
                        <TableCell>{deadlineCell(r)}</TableCell>
                        <TableCell>
                          <RouteTo caseId={r.id} caseLabel={caseLabel(r)} carriers={carriers.map((c) => ({ code: c.code, name: carrierName(c) }))} />
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </ListKeys>
            </>
          )}
        </section>
      ) : null}

      <form method="get" action="/agent" className="mt-8 rounded-md border border-border p-4" aria-labelledby="queue-filters-title">
        <h2 id="queue-filters-title" className="text-lg font-semibold">
          {t("filtersTitle")}
        </h2>
        <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {isAdmin ? (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="queue-carrier">{t("carrier")}</Label>
              <select id="queue-carrier" name="carrier" defaultValue={carrier?.code ?? ""} className={selectClass}>
                <option value="">{t("pickCarrier")}</option>
                {carriers.map((c) => (
                  <option key={c.code} value={c.code}>
                    {carrierName(c)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="queue-status">{t("status")}</Label>
            <select id="queue-status" name="status" defaultValue={params.status ?? ""} className={selectClass}>
              <option value="">{t("anyStatus")}</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {named("statusName", s)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="queue-kind">{t("kind")}</Label>
            <select id="queue-kind" name="kind" defaultValue={params.kind ?? ""} className={selectClass}>
              <option value="">{t("anyKind")}</option>
              {CASE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {named("kindName", k)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="queue-age">{t("age")}</Label>
            <select id="queue-age" name="age" defaultValue={params.age ? String(params.age) : ""} className={selectClass}>
              <option value="">{t("anyAge")}</option>
              {QUEUE_AGES.map((days) => (
                <option key={days} value={days}>
                  {t("ageOption", { days })}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="queue-assignee">{t("assignee")}</Label>
            <select id="queue-assignee" name="assignee" defaultValue={params.assignee ?? ""} className={selectClass}>
              <option value="">{t("anyAssignee")}</option>
              {isAdmin ? null : <option value="me">{t("assigneeMe")}</option>}
              <option value="unassigned">{t("assigneeUnassigned")}</option>
              {team.map((m) => (
                <option key={m.id} value={m.id}>
                  {staffDisplayName(m.name, locale)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex items-end">
            <label htmlFor="queue-overdue" className="flex min-h-11 cursor-pointer items-center gap-3">
              <input id="queue-overdue" type="checkbox" name="overdue" value="1" defaultChecked={params.overdue} className="size-5 accent-primary" />
              {t("overdue")}
            </label>
          </div>
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button type="submit">{t("apply")}</Button>
          {filtered ? (
            <Button asChild variant="secondary">
              <Link href={`/agent${queueQuery({ page: 1, carrier: params.carrier })}`}>{t("clear")}</Link>
            </Button>
          ) : null}
        </div>
      </form>

      {queue ? (
        <section aria-labelledby="queue-title" className="mt-8">
          <h2 id="queue-title" className="sr-only">
            {t("tableLabel")}
          </h2>
          <p role="status" className="text-lg font-semibold">
            {beyondEnd ? t("emptyPage") : t("count", { count: queue.total })}
          </p>
          {beyondEnd ? (
            <p className="mt-2">
              <Link href={`/agent${queueQuery(params, { page: 1 })}`} className="inline-flex min-h-11 items-center text-primary underline underline-offset-4">
                {t("firstPage")}
              </Link>
            </p>
          ) : rows.length === 0 ? (
            <p className="mt-2 text-muted-foreground">{filtered ? t("emptyFiltered") : t("empty")}</p>
          ) : (
            <>
              <ListKeysHint>{t("keyboardHint")}</ListKeysHint>
              <ScrollCue label={t("scrollCue")} />
              <ListKeys>
                <Table className="mt-3 min-w-[60rem]" regionLabel={t("tableLabel")}>
                  <TableCaption>{t("caption", { size: QUEUE_PAGE_SIZE })}</TableCaption>
                  <TableHeader>
                    <TableRow>
                      <TableHead>{t("col.case")}</TableHead>
                      <TableHead>{t("col.deadline")}</TableHead>
                      <TableHead>{t("col.status")}</TableHead>
                      <TableHead>{t("col.assignee")}</TableHead>
                      <TableHead>{t("col.platform")}</TableHead>
                      <TableHead>{t("col.opened")}</TableHead>
                      <TableHead>{t("col.actions")}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.map((r) => {
                      const late = timeLeft(r, now)?.overdue ?? false;
                      const active = r.settledAt === null;
                      return (
                        <TableRow key={r.id} {...{ [LIST_ROW_ATTRIBUTE]: "" }} className={cn(LIST_ROW_CLASS, late && "bg-danger-soft/40")}>
                          <TableCell className={cn(late && "border-s-4 border-s-danger")}>{caseCell(r)}</TableCell>
                          <TableCell>{deadlineCell(r)}</TableCell>
                          <TableCell className="whitespace-nowrap">{named("statusName", r.status)}</TableCell>
                          <TableCell>{staffName(r)}</TableCell>
                          <TableCell>{r.platform ? label(r.platform).label : t("noPlatform")}</TableCell>
                          <TableCell className="whitespace-nowrap">{format.dateTime(r.createdAt, "moment")}</TableCell>
                          <TableCell>
                            {active ? (
                              <div className="flex flex-col gap-2">
                                {isAdmin ? null : <AssignToMe caseId={r.id} caseLabel={caseLabel(r)} mine={r.assignedTo === user.id} />}
                                {leads ? (
                                  <AssignTo
                                    caseId={r.id}
                                    caseLabel={caseLabel(r)}
                                    current={r.assignedTo}
                                    team={team.map((m) => ({ id: m.id, name: staffDisplayName(m.name, locale) }))}
                                  />
                                ) : null}
                              </div>
                            ) : (
                              <span className="text-muted-foreground">—</span>
                            )}
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </ListKeys>
              {pages > 1 ? (
                <nav aria-label={t("pagination")} className="mt-4 flex flex-wrap items-center gap-3">
                  {params.page > 1 ? (
                    <Button asChild variant="secondary">
                      <Link href={`/agent${queueQuery(params, { page: params.page - 1 })}`}>
                        <ChevronLeft aria-hidden className="size-4" />
                        {t("previous")}
                      </Link>
                    </Button>
                  ) : null}
                  <span aria-current="page">{t("page", { page: params.page, pages })}</span>
                  {params.page < pages ? (
                    <Button asChild variant="secondary">
                      <Link href={`/agent${queueQuery(params, { page: params.page + 1 })}`}>
                        {t("next")}
                        <ChevronRight aria-hidden className="size-4" />
                      </Link>
                    </Button>
                  ) : null}
                </nav>
              ) : null}
            </>
          )}
        </section>
      ) : (
        <p className="mt-8 text-lg">{t("chooseCarrier")}</p>
      )}
    </main>
  );
}
