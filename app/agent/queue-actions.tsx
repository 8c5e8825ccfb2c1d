"use client";

import { useTranslations } from "next-intl";
import { useActionState, useId } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { assignCase, assignToMe, routeCase } from "./actions";

const selectClass =
  "h-11 min-w-0 rounded-md border border-input bg-background px-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring";

/** What the action said, in words, where a screen reader hears it. */
function Said({ state }: { state: ActionState }) {
  return (
    <p role="status" className={state.message ? (state.ok ? "text-sm text-success" : "text-sm font-medium text-danger") : "sr-only"}>
      {state.message ?? ""}
    </p>
  );
}

/**
 * "Assign to me" on one row. `caseLabel` names the case for a screen reader (the button's text is
 * the same on every row). Once the case is `mine` the button goes, but the form stays mounted so
 * its status line still says what happened after the page refreshed.
 */
export function AssignToMe({ caseId, caseLabel, mine }: { caseId: string; caseLabel: string; mine: boolean }) {
  const t = useTranslations("agentQueue");
  const [state, act, pending] = useActionState<ActionState, FormData>(assignToMe, { ok: false });
  return (
    <form action={act} className="flex flex-col gap-1">
      <input type="hidden" name="caseId" value={caseId} />
      {mine ? null : (
        <Button type="submit" size="sm" variant="secondary" className="whitespace-nowrap" disabled={pending} aria-label={`${t("assignToMe")}: ${caseLabel}`}>
          {pending ? t("working") : t("assignToMe")}
        </Button>
      )}
      <Said state={state} />
    </form>
  );
}

/** A supervisor's (or admin's) choice of assignee: the carrier's team, or nobody. */
export function AssignTo({ caseId, caseLabel, current, team }: { caseId: string; caseLabel: string; current: string | null; team: { id: string; name: string }[] }) {
  const t = useTranslations("agentQueue");
  const id = useId();
  const [state, act, pending] = useActionState<ActionState, FormData>(assignCase, { ok: false });
  return (
    <form action={act} className="flex flex-col gap-1">
      <input type="hidden" name="caseId" value={caseId} />
      <label htmlFor={id} className="sr-only">
        {`${t("assignTo")}: ${caseLabel}`}
      </label>
      <div className="flex gap-2">
        <select id={id} name="assignee" defaultValue={current ?? "unassigned"} className={selectClass}>
          <option value="unassigned">{t("unassigned")}</option>
          {team.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <Button type="submit" size="sm" variant="secondary" disabled={pending}>
          {pending ? t("working") : t("assign")}
        </Button>
      </div>
      <Said state={state} />
    </form>
  );
}

/** An admin sends a case to a carrier. */
export function RouteTo({ caseId, caseLabel, carriers }: { caseId: string; caseLabel: string; carriers: { code: string; name: string }[] }) {
  const t = useTranslations("agentQueue");
  const id = useId();
  const [state, act, pending] = useActionState<ActionState, FormData>(routeCase, { ok: false });
  return (
    <form action={act} className="flex flex-col gap-1">
      <input type="hidden" name="caseId" value={caseId} />
      <label htmlFor={id} className="sr-only">
        {`${t("routeTo")}: ${caseLabel}`}
      </label>
      <div className="flex flex-wrap gap-2">
        <select id={id} name="carrier" className={selectClass}>
          {carriers.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <Button type="submit" size="sm" variant="secondary" disabled={pending}>
          {pending ? t("working") : t("route")}
        </Button>
      </div>
      <Said state={state} />
    </form>
  );
}
