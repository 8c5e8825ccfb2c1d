"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/form-field";
import type { ActionState } from "@/lib/actions";
import { giveConsentAction } from "./actions";

/** The consent checkbox and button; the page around it lists the platforms and the purpose. */
export function ConsentForm({ platformIds, count }: { platformIds: string[]; count: number }) {
  const t = useTranslations("lookup.consent");
  const [state, action, pending] = useActionState<ActionState, FormData>(giveConsentAction, { ok: false });
  const error = state.fieldErrors?.agree ?? (!state.ok ? state.message : undefined);
  return (
    <form action={action} noValidate className="mt-6 flex flex-col gap-4">
      <input type="hidden" name="platforms" value={platformIds.join(",")} />
      <div className={error ? "border-l-4 border-danger pl-3" : undefined}>
        {error ? (
          <FieldError id="agree-error" className="mb-2">
            {error}
          </FieldError>
        ) : null}
        <label className="flex cursor-pointer items-start gap-3 rounded-md border border-border p-4">
          <input
            type="checkbox"
            name="agree"
            required
            aria-describedby={error ? "agree-error" : undefined}
            aria-invalid={error ? true : undefined}
            className="mt-1 size-5 shrink-0 accent-primary"
          />
          <span>{t("agree", { count })}</span>
        </label>
      </div>
      <div>
        <Button type="submit" disabled={pending}>
          {t("submit")}
        </Button>
      </div>
      <p aria-live="polite" className="sr-only">
        {state.message}
      </p>
    </form>
  );
}

export function WithdrawConsentForm({ action }: { action: (state: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations("lookup.consent");
  const [state, run, pending] = useActionState<ActionState, FormData>(action, { ok: false });
  return (
    <form action={run}>
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {t("withdraw")}
      </Button>
      <p aria-live="polite" className="mt-2 text-sm">
        {state.ok ? state.message : null}
      </p>
    </form>
  );
}
