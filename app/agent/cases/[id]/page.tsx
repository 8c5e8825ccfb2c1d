import { AlertTriangle, Clock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { areaMetadata } from "@/components/not-for-you";
import { Badge } from "@/components/ui/badge";
import { prepareDatabase } from "@/db/startup";
import { openCaseView } from "@/lib/agent/case-view";
import { carrierTeam } from "@/lib/agent/queue";
import { requireArea } from "@/lib/auth/guards";
import { staffDisplayName } from "@/lib/auth/staff-name";
import { CASE_TRANSITIONS } from "@/lib/cases/status";
import { appClock } from "@/lib/clock";
import { maskNumber } from "@/lib/phone/mask";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformsById } from "@/lib/platforms/queries";
import { LookUps, TenureHistory, UnbindRequests } from "@/components/agent/number-sections";
import { RevealNumber } from "@/components/agent/reveal-number";
import { revealCaseNumber } from "./actions";
import { AssignTo, AssignToMe } from "../../queue-actions";
import { ContactForm, NoteForm, ReplyForm, ResendItem, RevealReport, StatusForm, TenureForm } from "./case-forms";

export async function generateMetadata(): Promise<Metadata> {
  return areaMetadata("agent", async () => ({ title: (await getTranslations("agentCase"))("pageTitle") }));
}

/** The statuses an agent may set from here, in the order the buttons show them. */
const MOVES = ["in_progress", "waiting_platform", "waiting_owner", "resolved", "closed"] as const;

/**
 * One case of the agent's carrier (another carrier's, an unknown or a malformed id: 404, the same
 * for all). Opening it is audited (`case.viewed`); the number stays masked and reports show a
 * redacted preview until the agent asks for more (each audited in its action).
 */
export default async function AgentCasePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireArea("agent");
  const { id } = await params;
  const [t, tAll, format, locale, { handle }] = await Promise.all([getTranslations("agentCase"), getTranslations(), getFormatter(), getLocale(), prepareDatabase()]);
  const now = appClock().now();
  const view = await openCaseView(handle.db, id, { staffId: user.id, scope: user.carrierId }, now);
  if (!view) notFound();
  const label = await platformLabeler(handle.db);
  const { case: c, number } = view;
  const [casePlatform] = c.platformId ? await platformsById(handle.db, [c.platformId]) : [];
  const moment = (d: Date) => format.dateTime(d, "moment");
  const day = (d: Date) => format.dateTime(d, "day");
  const say = tAll as unknown as ((key: string, values?: Record<string, string | number>) => string) & { has(key: string): boolean };
  const statusName = (s: string) => say(`agentCase.status.${s}`);
  const moves = MOVES.filter((to) => CASE_TRANSITIONS[c.status].includes(to)).map((to) => ({
    value: to,
    label: c.settled && to === "in_progress" ? t("actions.reopen") : say(`agentCase.actions.to.${to}`),
  }));
  const left = c.timeLeft;
  const deadline = left ? say(`agentCase.deadline.${left.deadline}`) : null;
  const span = left ? say(`agentCase.span.${left.span.unit}`, { count: left.span.value }) : null;
  const protocol = c.platformActive && (c.unbindItemId !== null || c.reportId !== null);
  const currentTenure = number?.tenures.find((x) => x.id === view.tenureId);
  // Who may take or give the case here, as in the queue: agents and supervisors take it; supervisors
  // and admins give it to someone of the case's carrier.
  const leads = user.role === "supervisor" || user.role === "admin";
  const team = !c.settled && leads && c.carrierId ? await carrierTeam(handle.db, c.carrierId) : [];
  const caseLabel = say.has(`agentCase.kind.${c.kind}`) ? say(`agentCase.kind.${c.kind}`) : c.kind;

  return (
    <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
      <p>
        <Link href="/agent" className="inline-flex min-h-11 items-center text-primary underline underline-offset-4">
          {t("backToQueue")}
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-bold">
        {t("heading", { kind: say.has(`agentCase.kind.${c.kind}`) ? say(`agentCase.kind.${c.kind}`) : c.kind })}
      </h1>

      <section aria-labelledby="summary" className="mt-6 rounded-lg border border-border p-4">
        <h2 id="summary" className="sr-only">
          {t("summary.title")}
        </h2>
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-sm text-muted-foreground">{t("summary.status")}</dt>
            <dd>
              <Badge variant={c.settled ? "success" : "info"} data-testid="case-status">
                {statusName(c.status)}
              </Badge>
            </dd>
          </div>
          <div>
            <dt className="text-sm text-muted-foreground">{t("summary.deadline")}</dt>
            <dd data-testid="case-deadline">
              {!left ? (
                t("summary.noDeadline")
              ) : left.overdue ? (
                <span className="inline-flex items-center gap-1.5 font-semibold text-danger">
                  <AlertTriangle aria-hidden="true" className="size-4 shrink-0" />
                  {t("summary.overdue", { deadline: deadline!, span: span! })}
                </span>
              ) : (
                <span className="inline-flex items-center gap-1.5">
                  <Clock aria-hidden="true" className="size-4 shrink-0" />
                  {t("summary.left", { deadline: deadline!, span: span! })}
                </span>
              )}
              {left ? <span className="block text-sm text-muted-foreground">{moment(left.dueAt)}</span> : null}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-muted-foreground">{t("summary.assignee")}</dt>
            <dd>
              <span data-testid="case-assignee">{c.assignee ? (c.assignee.name ? staffDisplayName(c.assignee.name, locale) : t("summary.staff")) : t("summary.unassigned")}</span>
              {!c.settled && user.role !== "admin" ? (
                <div className="mt-2">
                  <AssignToMe caseId={c.id} caseLabel={caseLabel} mine={c.assignee?.id === user.id} />
                </div>
              ) : null}
              {team.length > 0 ? (
                <div className="mt-2">
                  <AssignTo caseId={c.id} caseLabel={caseLabel} current={c.assignee?.id ?? null} team={team.map((m) => ({ id: m.id, name: staffDisplayName(m.name, locale) }))} />
                </div>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-muted-foreground">{t("summary.opened")}</dt>
            <dd>{moment(c.createdAt)}</dd>
          </div>
          {casePlatform ? (
            <div>
              <dt className="text-sm text-muted-foreground">{t("summary.platform")}</dt>
              <dd>{label(casePlatform).label}</dd>
            </div>
          ) : null}
          {c.detail ? (
            <div>
              <dt className="text-sm text-muted-foreground">{t("summary.detail")}</dt>
              <dd className="font-mono text-sm">{c.detail}</dd>
            </div>
          ) : null}
        </dl>
        <div className="mt-4">{number ? <RevealNumber
              action={revealCaseNumber}
              id={c.id}
              masked={maskNumber(number.number)}
              testId="case-number"
              labels={{ label: t("number.label"), maskedNote: t("number.maskedNote"), revealedNote: t("number.revealedNote"), reveal: t("number.reveal") }}
            /> : <p className="text-muted-foreground">{t("number.none")}</p>}</div>
      </section>

      <div className="mt-8 grid gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="min-w-0">
          <section aria-labelledby="timeline">
            <h2 id="timeline" className="text-xl font-semibold">
              {t("timeline.title")}
            </h2>
            <ol className="mt-3 flex flex-col gap-3" data-testid="case-timeline">
              {view.timeline.map((e) => (
                <li key={e.id} className={`rounded-md border border-border p-3 ${e.kind === "note" ? "bg-muted" : ""}`}>
                  <p className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-medium">{say(`agentCase.timeline.kind.${e.kind}`, { from: e.fromStatus ? statusName(e.fromStatus) : "", to: e.toStatus ? statusName(e.toStatus) : "", assignee: e.assigneeName ? staffDisplayName(e.assigneeName, locale) : t("summary.staff") })}</span>
                    {e.kind === "note" ? <Badge variant="warning">{t("timeline.internal")}</Badge> : null}
                    <span className="text-muted-foreground">
                      {moment(e.at)} · {e.actorId ? (e.actorName ? staffDisplayName(e.actorName, locale) : t("summary.staff")) : e.kind === "owner_reply" ? t("timeline.owner") : t("timeline.system")}
                    </span>
                  </p>
                  {e.text && e.kind !== "tenure_confirmed" ? <p className="mt-1 whitespace-pre-wrap">{e.text}</p> : null}
                  {e.text && e.kind === "tenure_confirmed" ? <p className="mt-1">{t("timeline.tenureDate", { date: day(new Date(e.text)) })}</p> : null}
                </li>
              ))}
            </ol>
          </section>

          {number ? (
            <>
              <TenureHistory tenures={number.tenures} currentId={view.tenureId} />

              <UnbindRequests
                batches={number.batches}
                label={label}
                badge={(batch) => (batch.own ? <Badge variant="neutral">{t("batches.thisCase")}</Badge> : null)}
                action={{
                  title: t("batches.action"),
                  shown: (batch) => batch.own && !c.settled,
                  cell: (_batch, item) =>
                    item.resendable || item.resentAt ? (
                      <div className="flex flex-col gap-2">
                        {item.resentAt ? <span data-testid="item-resent">{t("batches.resentAt", { date: format.dateTime(item.resentAt, "moment") })}</span> : null}
                        {item.resendable ? <ResendItem caseId={c.id} itemId={item.id} platform={label(item.platform).label} /> : null}
                      </div>
                    ) : (
                      "—"
                    ),
                }}
              />

              <LookUps lookups={number.lookups} label={label} limit={5} />

              <section aria-labelledby="reports" className="mt-10">
                <h2 id="reports" className="text-xl font-semibold">
                  {t("reports.title")}
                </h2>
                <p className="mt-1 text-sm text-muted-foreground">{t("reports.note")}</p>
                {number.reports.length === 0 ? <p className="mt-3 text-muted-foreground">{t("reports.empty")}</p> : null}
                <ul className="mt-3 flex flex-col gap-3">
                  {number.reports.map((report) => (
                    <li key={report.id} className="rounded-md border border-border p-3">
                      <p className="flex flex-wrap items-center gap-2 text-sm">
                        <span className="font-medium">{tAll(`reports.category.${report.category}`)}</span>
                        <Badge variant="neutral">{tAll(`reports.statusShort.${report.status}`)}</Badge>
                        <span className="text-muted-foreground">{day(report.createdAt)}</span>
                      </p>
                      <p className="mt-1 text-sm">
                        <span className="sr-only">{t("reports.preview")}: </span>
                        {report.preview}
                      </p>
                      <RevealReport caseId={c.id} reportId={report.id} />
                    </li>
                  ))}
                </ul>
              </section>
            </>
          ) : null}
        </div>

        <aside aria-labelledby="actions" className="flex min-w-0 flex-col gap-8">
          <h2 id="actions" className="text-xl font-semibold">
            {t("actions.title")}
          </h2>
          <section aria-labelledby="status-title">
            <h3 id="status-title" className="font-semibold">
              {t("actions.status")}
            </h3>
            {c.settled ? <p className="mt-1 text-sm text-muted-foreground">{t("actions.settledNote")}</p> : null}
            <div className="mt-2">
              <StatusForm caseId={c.id} options={moves} />
            </div>
          </section>
          {c.settled ? null : (
            <>
              {c.hasOwner ? (
                <section aria-labelledby="reply-title">
                  <h3 id="reply-title" className="font-semibold">
                    {t("reply.title")}
                  </h3>
                  <div className="mt-2">
                    {c.ownerReachable ? <ReplyForm caseId={c.id} /> : <p className="text-sm text-muted-foreground">{t("errors.moved_on")}</p>}
                  </div>
                </section>
              ) : null}
              <section aria-labelledby="contact-title">
                <h3 id="contact-title" className="font-semibold">
                  {t("contact.title")}
                </h3>
                <div className="mt-2">
                  <ContactForm caseId={c.id} protocol={protocol} />
                </div>
              </section>
              {(c.kind === "tenure_review" || c.kind === "manual") && currentTenure ? (
                <section aria-labelledby="tenure-title">
                  <h3 id="tenure-title" className="font-semibold">
                    {t("tenure.title")}
                  </h3>
                  <div className="mt-2">
                    <TenureForm caseId={c.id} current={`${day(currentTenure.startedAt)} · ${tAll(`tenureSource.${currentTenure.source}`)}`} />
                  </div>
                </section>
              ) : null}
              <section aria-labelledby="note-title">
                <h3 id="note-title" className="font-semibold">
                  {t("note.title")}
                </h3>
                <div className="mt-2">
                  <NoteForm caseId={c.id} />
                </div>
              </section>
            </>
          )}
        </aside>
      </div>
    </main>
  );
}
