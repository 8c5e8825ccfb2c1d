"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";

type RevealAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * The masked number and "Show full number" (the action audits the reveal and answers the full
 * number in `meta.number`); the full one lives in this component's state only, so a reload masks
 * it again. Used by a number's page and a case's page, each with its own action and words.
 */
export function RevealNumber({
  action: reveal,
  id,
  masked,
  testId,
  labels,
}: {
  action: RevealAction;
  id: string;
  masked: string;
  testId: string;
  labels: { label: string; maskedNote: string; revealedNote: string; reveal: string; revealing?: string };
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(reveal, { ok: false });
  const full = state.ok ? state.meta?.number : undefined;
  return (
    <div className="flex flex-col gap-3">
      <p className="flex flex-wrap items-baseline gap-x-3">
        <span className="text-sm text-muted-foreground">{labels.label}</span>
        <span className="font-mono text-2xl font-semibold" data-testid={testId}>
          {full ?? masked}
        </span>
      </p>
      <p className="max-w-prose text-sm text-muted-foreground" role="status">
        {full ? labels.revealedNote : (state.message ?? labels.maskedNote)}
      </p>
      {full ? null : (
        <form action={action}>
          <input type="hidden" name="id" value={id} />
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending && labels.revealing ? labels.revealing : labels.reveal}
          </Button>
        </form>
      )}
    </div>
  );
}
