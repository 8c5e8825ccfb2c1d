"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { revealNumber } from "./actions";

/** The masked number and "Show full number"; the full one lives in this component's state only. */
export function RevealNumber({ id, masked }: { id: string; masked: string }) {
  const t = useTranslations("agentNumbers");
  const [state, action, pending] = useActionState<ActionState, FormData>(revealNumber, { ok: false });
  const full = state.ok ? state.meta?.number : undefined;
  return (
    <div className="mt-4 flex flex-col gap-3">
      <p className="flex flex-wrap items-baseline gap-x-3">
        <span className="text-sm text-muted-foreground">{t("numberLabel")}</span>
        <span className="font-mono text-2xl font-semibold" data-testid="agent-number">
          {full ?? masked}
        </span>
      </p>
      <p className="max-w-prose text-sm text-muted-foreground" role="status">
        {full ? t("revealedNote") : (state.message ?? t("maskedNote"))}
      </p>
      {full ? null : (
        <form action={action}>
          <input type="hidden" name="id" value={id} />
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? t("revealing") : t("reveal")}
          </Button>
        </form>
      )}
    </div>
  );
}
