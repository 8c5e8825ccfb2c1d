"use client";

import { CheckCircle2, CircleAlert, CircleDashed, Clock, Link2Off, Loader2, Search } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { PlatformIcon } from "@/components/platform-icon";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { LookupStatus } from "@/db/schema";
import type { LookupEvent } from "@/lib/platforms/lookup-stream";
import type { PlatformLabel } from "@/lib/platforms/labels";
import type { ReasonKey, RequestState } from "@/lib/unbind/platform-state";

export type PanelPlatform = PlatformLabel;

export interface PanelLookup {
  id: string;
  startedAt: string;
  /** Past the deadline by the server's clock: platforms still out are "no answer yet". */
  overdue: boolean;
  results: { platformId: string; status: LookupStatus }[];
}

type RowState = LookupStatus | "late";

/** The latest unbind request to a platform (lib/unbind/platform-state.ts), dates as ISO strings. */
export type PanelRequest = {
  [K in RequestState as K["kind"]]: { [F in keyof K]: K[F] extends Date ? string : K[F] extends Date | null ? string | null : K[F] };
}[RequestState["kind"]];

/**
 * Mirrors `canAsk` (lib/unbind/platform-state.ts), which the server applies again when the batch is
 * created: never asked, or asked and declined / not delivered.
 */
const askable = (state: RowState | undefined, request: PanelRequest | undefined) =>
  state === "bound_before_tenure" && (!request || request.kind === "declined" || request.kind === "failed");
/** The platform answered "act in our app": the owner has something to do there, not here. */
const ownerAction = (state: RowState | undefined, request: PanelRequest | undefined) => state === "bound_before_tenure" && request?.kind === "needs_owner_action";

/**
 * How often the page asks for answers it did not get from a stream (a check started by "agree and
 * check", late platforms, retries), and for how long: often at first, when most answers come.
 */
const POLL_FAST_MS = 600;
const POLL_FAST_FOR_MS = 10_000;
const POLL_MS = 2500;
const POLL_FOR_MS = 3 * 60_000;

export function LookupPanel({
  platforms,
  initial,
  requests,
  selected,
}: {
  platforms: PanelPlatform[];
  initial: PanelLookup | null;
  /** platform id → its latest unbind request in this tenure. */
  requests: Record<string, PanelRequest>;
  /** The boxes to tick, when coming back from "check answers" to change them (`?p=`); otherwise all. */
  selected?: readonly string[];
}) {
  const t = useTranslations("lookup");
  const tUnbind = useTranslations("unbind");
  const format = useFormatter();
  const [lookup, setLookup] = useState(initial);
  const [rows, setRows] = useState<Record<string, RowState>>(() => rowsOf(initial));
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Boxes the owner unticked; every platform that can be asked starts ticked, or only the ones
  // chosen before when the owner came back from "check answers" to change them.
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(() => new Set(selected ? platforms.map((p) => p.id).filter((id) => !selected.includes(id)) : []));

  const shown = lookup ? platforms.filter((p) => p.id in rows) : [];
  const answered = shown.filter((p) => !["pending", "late"].includes(rows[p.id]!)).length;
  const waiting = shown.some((p) => rows[p.id] === "pending" || rows[p.id] === "late");
  // The platforms that need the owner first; everything else below a heading of its own.
  const toAsk = shown.filter((p) => askable(rows[p.id], requests[p.id]));
  const toAct = shown.filter((p) => ownerAction(rows[p.id], requests[p.id]));
  const needAction = [...toAsk, ...toAct];
  // Below: the ones already asked first (their answer is what the owner is waiting for), then the
  // ones still out or unavailable, then the owner's own accounts and the unbound.
  const otherRank = (p: PanelPlatform) => (requests[p.id] ? 0 : ({ pending: 1, late: 1, unavailable: 1, bound_before_tenure: 1, bound_since_tenure: 2, not_bound: 3 } as const)[rows[p.id]!]);
  const others = shown.filter((p) => !needAction.includes(p)).toSorted((a, b) => otherRank(a) - otherRank(b));
  const ticked = toAsk.filter((p) => !unticked.has(p.id)).length;
  const summary = Object.keys(requests).length > 0 ? t("summaryAfter", { count: needAction.length }) : t("summary", { count: needAction.length });

  const pollAbort = useRef<AbortController | null>(null);

  /** Asks for the answers that come after the stream ended (late platforms, retries). */
  const poll = useCallback(
    async (id: string) => {
      pollAbort.current?.abort();
      const controller = new AbortController();
      pollAbort.current = controller;
      const since = Date.now();
      const until = since + POLL_FOR_MS;
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, Date.now() - since < POLL_FAST_FOR_MS ? POLL_FAST_MS : POLL_MS));
        if (controller.signal.aborted) return;
        try {
          const response = await fetch(`/api/lookups/${id}`, { cache: "no-store", signal: controller.signal });
          if (!response.ok) return;
          const next = rowsOf((await response.json()) as PanelLookup);
          setRows(next);
          if (!Object.values(next).some((s) => s === "pending" || s === "late")) return;
        } catch {
          if (controller.signal.aborted) return;
        }
      }
    },
    [],
  );

  // Coming back to a look-up that still has platforms out: keep filling them in. (poll sets state
  // only after awaiting the network, never synchronously.)
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (initial && Object.values(rowsOf(initial)).some((s) => s === "pending" || s === "late")) void poll(initial.id);
    return () => pollAbort.current?.abort();
  }, [initial, poll]);

  async function start() {
    setRunning(true);
    setError(null);
    try {
      const response = await fetch("/api/lookups", { method: "POST", headers: { accept: "application/x-ndjson" } });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { error?: string; retryAfterSeconds?: number };
        const message =
          body.error === "too_soon"
            ? t("check.tooSoon", { seconds: body.retryAfterSeconds ?? 60 })
            : body.error === "no_consent"
              ? t("check.noConsent")
              : body.error === "no_tenure"
                ? t("check.noTenure")
                : body.error === "signed_out"
                  ? t("check.signedOut")
                  : t("check.failed");
        setError(message);
        return;
      }
      let current: { id: string } | null = null;
      const pending = new Set<string>();
      for await (const event of readEvents(response.body)) {
        if (event.type === "started") {
          current = { id: event.lookupId };
          event.platformIds.forEach((id) => pending.add(id));
          setLookup({ id: event.lookupId, startedAt: event.startedAt, overdue: false, results: [] });
          setRows(Object.fromEntries(event.platformIds.map((id) => [id, "pending" as RowState])));
        } else if (event.type === "result" && event.status !== "pending") {
          pending.delete(event.platformId);
          setRows((prev) => ({ ...prev, [event.platformId]: event.status }));
        } else if (event.type === "result" || event.type === "deadline") {
          const late = event.type === "deadline" ? event.pending : [event.platformId];
          setRows((prev) => ({ ...prev, ...Object.fromEntries(late.map((id) => [id, "late" as RowState])) }));
        }
      }
      if (current && pending.size > 0) void poll(current.id);
    } catch {
      setError(t("check.failed"));
    } finally {
      setRunning(false);
    }
  }

  // One polite announcement for the whole check, not one per row.
  const announce = running ? t("check.running", { count: platforms.length }) : lookup && !waiting ? summary : "";

  return (
    <section aria-labelledby="lookup-results-title" className="mt-8">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h2 id="lookup-results-title" className="text-xl font-semibold">
            {t("tableCaption")}
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">
            {lookup ? t("check.last", { date: format.dateTime(new Date(lookup.startedAt), "moment") }) : t("check.never")}
          </p>
        </div>
        {/* Once there are answers, the unbind button is the page's one primary action. */}
        <Button type="button" variant={lookup ? "secondary" : "primary"} onClick={start} disabled={running} aria-describedby={error ? "lookup-error" : undefined}>
          {running ? <Loader2 aria-hidden className="animate-spin" /> : <Search aria-hidden />}
          {running ? t("check.running", { count: platforms.length }) : lookup ? t("check.again") : t("check.start")}
        </Button>
      </div>

      {error ? (
        <p id="lookup-error" role="alert" className="mt-4 flex items-start gap-2 rounded-md border border-danger bg-danger-soft p-3 text-danger">
          <CircleAlert aria-hidden className="mt-0.5 size-5 shrink-0" />
          {error}
        </p>
      ) : null}

      {lookup ? (
        <>
          <p className="mt-4 font-medium" data-testid="lookup-progress">
            {waiting || running ? t("check.progress", { answered, total: shown.length }) : summary}
          </p>
          {/* A plain GET form: the selection reaches the confirm page even before scripts load. */}
          <form action="/unbind/new" method="get">
            {needAction.length > 0 ? (
              <section aria-labelledby="lookup-action-title" className="mt-6">
                <h3 id="lookup-action-title" className="text-lg font-semibold">
                  {t("actionTitle")}
                </h3>
                <ul className="mt-3 divide-y divide-border rounded-lg border border-border" aria-labelledby="lookup-action-title">
                  {needAction.map((platform) => (
                    <PlatformRow
                      key={platform.id}
                      platform={platform}
                      state={rows[platform.id]!}
                      request={requests[platform.id]}
                      selectable={!running && toAsk.includes(platform)}
                      checked={!unticked.has(platform.id)}
                      onTick={(on) =>
                        setUnticked((prev) => {
                          const next = new Set(prev);
                          if (on) next.delete(platform.id);
                          else next.add(platform.id);
                          return next;
                        })
                      }
                    />
                  ))}
                </ul>
                {toAsk.length > 0 && !running ? (
                  <div className="mt-4 flex justify-end">
                    {/* The count follows the ticked boxes; without scripts the form still sends the ticked ones. */}
                    <Button type="submit" size="lg" disabled={ticked === 0} data-testid="unbind-start">
                      {tUnbind("start", { count: ticked })}
                    </Button>
                  </div>
                ) : null}
              </section>
            ) : null}
            {others.length > 0 ? (
              <section aria-labelledby="lookup-other-title" className="mt-8">
                <h3 id="lookup-other-title" className="text-lg font-semibold">
                  {needAction.length > 0 ? t("otherTitle") : t("tableCaption")}
                </h3>
                {needAction.length > 0 ? <p className="mt-1 text-sm text-muted-foreground">{t("otherIntro")}</p> : null}
                <ul className="mt-3 divide-y divide-border rounded-lg border border-border" aria-labelledby="lookup-other-title">
                  {others.map((platform) => (
                    <PlatformRow key={platform.id} platform={platform} state={rows[platform.id]!} request={requests[platform.id]} selectable={false} />
                  ))}
                </ul>
              </section>
            ) : null}
          </form>
        </>
      ) : null}
      <p aria-live="polite" className="sr-only">
        {announce}
      </p>
    </section>
  );
}

function PlatformRow({
  platform,
  state,
  request,
  selectable,
  checked = true,
  onTick,
}: {
  platform: PanelPlatform;
  state: RowState;
  request: PanelRequest | undefined;
  selectable: boolean;
  checked?: boolean;
  onTick?: (on: boolean) => void;
}) {
  const t = useTranslations("lookup");
  const tUnbind = useTranslations("unbind");
  const format = useFormatter();
  const statusKey = state === "pending" ? "asking" : state;
  const badge = {
    bound_before_tenure: { variant: "warning", icon: <Link2Off aria-hidden /> },
    bound_since_tenure: { variant: "info", icon: <CheckCircle2 aria-hidden /> },
    not_bound: { variant: "success", icon: <CheckCircle2 aria-hidden /> },
    pending: { variant: "neutral", icon: <Loader2 aria-hidden className="animate-spin" /> },
    late: { variant: "neutral", icon: <Clock aria-hidden /> },
    unavailable: { variant: "danger", icon: <CircleDashed aria-hidden /> },
  } as const;
  const { variant, icon } = badge[state];
  const day = (iso: string) => format.dateTime(new Date(iso), "day");
  const reason = (key: ReasonKey) => tUnbind(`reasons.${key}`);
  // What became of the request, in place of the generic next step once the platform was asked.
  const requestLine = !request
    ? null
    : request.kind === "waiting"
      ? t("request.waiting", { date: day(request.requestedAt) })
      : request.kind === "unbound"
        ? t("request.unbound", { date: day(request.at) })
        : request.kind === "scheduled"
          ? t("request.scheduled", { requested: day(request.requestedAt), date: request.effectiveAt ? day(request.effectiveAt) : "—" })
          : request.kind === "declined"
            ? t("request.declined", { date: day(request.at), reason: reason(request.reasonKey) })
            : request.kind === "failed"
              ? t("request.failed", { date: day(request.at), reason: reason(request.reasonKey) })
              : t("request.needs_owner_action");
  const describedBy = `name-${platform.id}${requestLine ? ` request-${platform.id}` : ""}`;
  return (
    <li className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between" data-platform={platform.id} data-state={state} data-request={request?.kind ?? "none"}>
      <span className="flex items-center gap-3 sm:shrink-0">
        <PlatformIcon category={platform.category} className="size-5 shrink-0 text-primary" />
        <span>
          <span id={`name-${platform.id}`} className="font-medium">
            {platform.label}
          </span>
          {platform.categoryOnly ? <span className="block text-xs text-muted-foreground">{t("categoryOnlyHint")}</span> : null}
        </span>
      </span>
      <span className="flex min-w-0 flex-col gap-1 sm:items-end sm:text-right">
        {/* The look-up before an unbind or a schedule is out of date on that point: say what the platform did. */}
        {state === "bound_before_tenure" && (request?.kind === "unbound" || request?.kind === "scheduled") ? (
          <Badge variant={request.kind === "unbound" ? "success" : "info"} className="whitespace-normal">
            {request.kind === "unbound" ? <CheckCircle2 aria-hidden /> : <Clock aria-hidden />}
            {tUnbind(`statusShort.${request.kind}`)}
          </Badge>
        ) : (
          <Badge variant={variant} className="whitespace-normal">
            {icon}
            {t(`status.${statusKey}`)}
          </Badge>
        )}
        {requestLine ? (
          <span id={`request-${platform.id}`} className="text-sm">
            {requestLine}
            {request?.kind === "declined" || request?.kind === "failed" ? ` ${t("request.again")}` : null}
          </span>
        ) : statusKey !== "asking" ? (
          <span className="text-sm text-muted-foreground">{t(`next.${statusKey}`)}</span>
        ) : null}
        {request?.kind === "needs_owner_action" ? (
          <Link href={`/unbind/${request.batchId}`} className="inline-flex min-h-11 items-center text-sm font-medium text-primary underline underline-offset-4">
            {t("request.view")}
          </Link>
        ) : null}
        {selectable ? (
          <label className="flex min-h-11 cursor-pointer items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              name="p"
              value={platform.id}
              checked={checked}
              onChange={(e) => onTick?.(e.target.checked)}
              className="size-5 accent-primary"
              aria-describedby={describedBy}
            />
            {tUnbind("select")}
          </label>
        ) : null}
      </span>
    </li>
  );
}

function rowsOf(view: PanelLookup | null): Record<string, RowState> {
  if (!view) return {};
  return Object.fromEntries(view.results.map((r) => [r.platformId, r.status === "pending" && view.overdue ? "late" : r.status]));
}

async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<LookupEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line) as LookupEvent;
    }
    if (done) return;
  }
}
