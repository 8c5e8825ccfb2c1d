"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { correctTenureAction, declareTenureAction } from "./actions";

/**
 * The tenure start date: declared when the carrier has no record, or a self-declared one
 * corrected. Errors as on every other form: a summary that takes focus and links to the field,
 * and the message beside it; what was typed stays.
 */
export function DeclareTenureForm({ today, mode = "declare", current }: { today: string; mode?: "declare" | "correct"; current?: string }) {
  const t = useTranslations("me");
  const [state, action, pending] = useActionState<ActionState, FormData>(mode === "correct" ? correctTenureAction : declareTenureAction, { ok: false });
  const error = state.fieldErrors?.startedAt;
  const form = (
    <form action={action} noValidate className="mt-4 flex flex-col gap-4">
      {error ? <ErrorSummary key={JSON.stringify(state)} title={t("declareErrorTitle")} errors={[{ fieldId: "startedAt", message: error }]} /> : null}
      <FormField
        id="startedAt"
        label={mode === "correct" ? t("correctLabel") : t("declareLabel")}
        hint={mode === "correct" ? t("correctHint") : t("declareHint")}
        error={error}
      >
        <Input name="startedAt" type="date" min="2000-01-01" max={today} defaultValue={state.values?.startedAt ?? current} className="max-w-56" />
      </FormField>
      <div>
        <Button type="submit" disabled={pending}>
          {mode === "correct" ? t("correctSubmit") : t("declareSubmit")}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-success">
        {state.ok ? state.message : null}
      </p>
    </form>
  );
  if (mode === "declare") return form;
  // Closed until asked for; open again when an answer (an error or "saved") comes back, also without JavaScript.
  return (
    <details open={error || state.ok ? true : undefined} className="mt-3">
      <summary className="flex min-h-11 w-fit cursor-pointer items-center font-medium text-primary underline underline-offset-4">{t("correctToggle")}</summary>
      {form}
    </details>
  );
}
