import { ArrowLeft, ShieldCheck } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import { currentTenure } from "@/lib/owners/queries";
import { appClock } from "@/lib/clock";
import { platformLabeler, type PlatformLabel } from "@/lib/platforms/labels";
import { consentState, ownerLookup, panelLookup } from "@/lib/platforms/lookup";
import { maskNumber } from "@/lib/phone/mask";
import { platformsById } from "@/lib/platforms/queries";
import { platformStates, superseded, type PlatformState } from "@/lib/unbind/platform-state";
import { withdrawConsentAction } from "./actions";
import { ConsentForm, WithdrawConsentForm } from "./consent-form";
import { LookupPanel, type PanelRequest } from "./lookup-panel";
import { SentPlatforms } from "./sent-platforms";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("lookup"))("title") };
}

export default async function PlatformsPage({ searchParams }: { searchParams: Promise<{ p?: string | string[] }> }) {
  const owner = await requireOwner();
  // Back from "check answers" with the platforms chosen there (ids; unknown ones match nothing).
  const { p } = await searchParams;
  const selected = p === undefined ? undefined : ([] as string[]).concat(p).slice(0, 100);
  const [t, format, label, { handle }] = await Promise.all([getTranslations("lookup"), getFormatter(), platformLabeler(), prepareDatabase()]);
  const tenure = await currentTenure(handle.db, owner.number);

  let body: React.ReactNode;
  if (!tenure) {
    body = (
      <p className="mt-6 rounded-lg border border-border bg-surface p-5">
        {t("noTenure")}{" "}
        <Link href="/me" className="font-medium text-primary underline underline-offset-4">
          {t("noTenureLink")}
        </Link>
      </p>
    );
  } else {
    const [state, states] = await Promise.all([consentState(handle.db, owner.id, tenure.id), platformStates(handle.db, owner.id, tenure.id)]);
    // Every platform that already has the number, whatever became of the consent since.
    const sentStates = [...states.values()].filter((s): s is PlatformState & { firstSentAt: Date } => s.firstSentAt !== null);
    const sentRows = new Map((await platformsById(handle.db, sentStates.map((s) => s.platformId))).map((p) => [p.id, label(p)]));
    const sent = sentStates
      .filter((s) => sentRows.has(s.platformId))
      .map((s) => ({ id: s.platformId, label: sentRows.get(s.platformId)!.label, since: s.firstSentAt }))
      .sort((a, b) => a.since.getTime() - b.since.getTime() || a.label.localeCompare(b.label));
    const tenureDate = format.dateTime(tenure.startedAt, "day");
    const labelled = inLetterOrder(state.platforms.map(label));
    const consentList = (
      <>
        <p className="mt-4">{t("consent.purpose", { date: tenureDate })}</p>
        <p className="mt-3 text-muted-foreground">{t("consent.keep")}</p>
        <h3 className="mt-5 font-semibold">{t("consent.platformsTitle", { count: state.platforms.length })}</h3>
        <ul className="mt-2 grid gap-x-6 gap-y-1 sm:grid-cols-2">
          {labelled.map((p) => (
            <li key={p.id} className="flex items-center gap-2">
              <ShieldCheck aria-hidden className="size-4 shrink-0 text-primary" />
              {p.label}
            </li>
          ))}
        </ul>
        <ConsentForm platformIds={state.platforms.map((p) => p.id)} count={state.platforms.length} />
      </>
    );
    if (!state.consent) {
      body = (
        <section aria-labelledby="consent-title" className="mt-6 rounded-lg border border-border bg-surface p-5">
          <h2 id="consent-title" className="text-xl font-semibold">
            {t("consent.title")}
          </h2>
          {consentList}
          {sent.length > 0 ? (
            <div className="mt-6">
              <SentPlatforms sent={sent} intro="after" />
            </div>
          ) : null}
        </section>
      );
    } else {
      const covered = new Set(state.consent.platformIds);
      const lookup = await ownerLookup(handle.db, { ownerId: owner.id, tenureId: tenure.id });
      body = (
        <>
          {/* Keyed by the look-up: one started by "agree and check" (or elsewhere) replaces the panel's state. */}
          <LookupPanel
            key={lookup?.id ?? "none"}
            platforms={labelled.filter((p) => covered.has(p.id))}
            initial={lookup ? panelLookup(lookup, { now: appClock().now() }) : null}
            // A request whose answer a later look-up contradicts is not shown: the row is bound and may be asked again.
            requests={Object.fromEntries([...states.values()].flatMap((s) => (s.request && !superseded(s) ? [[s.platformId, panelRequest(s.request)]] : [])))}
            selected={selected}
          />
          {state.uncovered.length > 0 ? (
            <details className="mt-8 rounded-lg border border-border bg-surface p-5">
              <summary className="cursor-pointer font-medium">
                {t("consent.newPlatforms", { count: state.uncovered.length })} {t("consent.review")}
              </summary>
              {consentList}
            </details>
          ) : null}
          <section className="mt-8 flex flex-col gap-3 border-t border-border pt-6 text-sm text-muted-foreground">
            <p>{t("consent.given", { date: format.dateTime(state.consent.givenAt, "moment"), count: covered.size })}</p>
            <SentPlatforms sent={sent} intro="note" />
            <WithdrawConsentForm action={withdrawConsentAction} />
          </section>
        </>
      );
    }
  }

  return (
    <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
      <Link href="/me" className="inline-flex min-h-11 items-center gap-1 text-sm font-medium text-primary underline-offset-4 hover:underline">
        <ArrowLeft aria-hidden className="size-4" />
        {maskNumber(owner.number)}
      </Link>
      <h1 className="mt-2 text-2xl font-bold sm:text-3xl">{t("heading")}</h1>
      <p className="mt-3 text-muted-foreground">{t("intro", { number: maskNumber(owner.number) })}</p>
      {body}
    </main>
  );
}

/** A request's dates as ISO strings, for the client panel. */
function panelRequest(request: NonNullable<PlatformState["request"]>): PanelRequest {
  return Object.fromEntries(Object.entries(request).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as PanelRequest;
}

/** The list's order (by category), with lettered category-only platforms as A, B within theirs. */
function inLetterOrder(list: PlatformLabel[]): PlatformLabel[] {
  const firstOfCategory = new Map<string, number>();
  list.forEach((p, i) => firstOfCategory.set(p.category, firstOfCategory.get(p.category) ?? i));
  const at = new Map(list.map((p, i) => [p.id, i]));
  return list.toSorted(
    (a, b) =>
      firstOfCategory.get(a.category)! - firstOfCategory.get(b.category)! ||
      Number(a.categoryOnly) - Number(b.categoryOnly) ||
      (a.categoryOnly ? a.label.localeCompare(b.label) : at.get(a.id)! - at.get(b.id)!),
  );
}
