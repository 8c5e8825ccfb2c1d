import { AlertTriangle, CheckCircle2, Info, XCircle } from "lucide-react";
import type { Metadata } from "next";
import { connection } from "next/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { prepareDatabase } from "@/db/startup";
import { appClock } from "@/lib/clock";
import { logServerError } from "@/lib/errors";
import { dispatcherBacklog, healthReport, type DispatcherBacklog } from "@/lib/health";
import { smsProviderName } from "@/lib/sms";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("status"))("title") };
}

type Level = "ok" | "notice" | "problem";

const ICON = { ok: CheckCircle2, notice: Info, problem: XCircle } as const;
const BADGE = { ok: "success", notice: "info", problem: "danger" } as const;

/**
 * The service's health in words, for people (machines keep /api/health): the database, the SMS
 * provider, and the dispatcher that delivers messages to platforms with its backlog. Counts and
 * times only: nothing here names a number, a platform's request or a message.
 */
export default async function StatusPage() {
  await connection();
  const [t, format] = await Promise.all([getTranslations("status"), getFormatter()]);
  const now = appClock().now();
  const health = await healthReport(prepareDatabase);
  const databaseUp = health.body.status === "ok";
  let backlog: DispatcherBacklog | null = null;
  if (databaseUp) {
    try {
      backlog = await dispatcherBacklog((await prepareDatabase()).handle.db, now);
    } catch (error) {
      logServerError("status", error);
    }
  }
  const provider = smsProviderName();

  const rows: { key: string; label: string; level: Level; state: string; detail?: string }[] = [
    {
      key: "database",
      label: t("database"),
      level: databaseUp ? "ok" : "problem",
      state: databaseUp ? t("working") : t("databaseDown"),
      detail: databaseUp ? undefined : t("databaseDownDetail"),
    },
    {
      key: "sms",
      label: t("sms"),
      level: provider === undefined ? "problem" : provider === "dev" ? "notice" : "ok",
      state: provider === undefined ? t("smsMissing") : provider === "dev" ? t("smsDev") : t("working"),
      detail: provider === undefined ? undefined : provider === "dev" ? t("smsDevDetail") : t("smsProvider", { provider: t(`providers.${provider}`) }),
    },
    {
      key: "dispatcher",
      label: t("dispatcher"),
      level: !backlog ? "problem" : backlog.state === "behind" ? "problem" : "ok",
      state: !backlog ? t("unknown") : backlog.state === "behind" ? t("behind") : t("working"),
      detail: !backlog
        ? t("dispatcherUnknownDetail")
        : backlog.waiting === 0
          ? t("backlogEmpty")
          : t("backlog", {
              waiting: backlog.waiting,
              ago: format.relativeTime(backlog.oldestSince!, now),
              overdue: backlog.overdue,
            }),
    },
  ];
  const problems = rows.filter((r) => r.level === "problem").length;

  return (
    <main id="main" className="mx-auto w-full max-w-2xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-2xl font-bold sm:text-3xl">{t("title")}</h1>
      <p className="mt-4 flex items-start gap-2 text-lg font-medium" role="status">
        {problems === 0 ? (
          <CheckCircle2 aria-hidden className="mt-1 size-5 shrink-0 text-success" />
        ) : (
          <AlertTriangle aria-hidden className="mt-1 size-5 shrink-0 text-danger" />
        )}
        {problems === 0 ? t("allWorking") : t("someProblems", { count: problems })}
      </p>
      <ul className="mt-6 divide-y divide-border rounded-lg border border-border">
        {rows.map((row) => {
          const Icon = ICON[row.level];
          return (
            <li key={row.key} className="px-4 py-4">
              <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-1">
                <h2 className="font-semibold">{row.label}</h2>
                <Badge variant={BADGE[row.level]}>
                  <Icon aria-hidden />
                  {row.state}
                </Badge>
              </div>
              {row.detail ? <p className="mt-1 text-sm text-muted-foreground">{row.detail}</p> : null}
            </li>
          );
        })}
      </ul>
      <p className="mt-6 text-sm text-muted-foreground">{t("checkedAt", { when: format.dateTime(now, "moment") })}</p>
      <p className="mt-2 text-sm text-muted-foreground">
        {t.rich("machines", {
          link: (chunks) => (
            <a href="/api/health" className="text-primary underline">
              {chunks}
            </a>
          ),
        })}
      </p>
    </main>
  );
}
