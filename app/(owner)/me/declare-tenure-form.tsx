"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { declareTenureAction } from "./actions";

export function DeclareTenureForm({ today }: { today: string }) {
  const t = useTranslations("me");
  const [state, action, pending] = useActionState<ActionState, FormData>(declareTenureAction, { ok: false });
  return (
    <form action={action} noValidate className="mt-4 flex flex-col gap-4">
      <FormField id="startedAt" label={t("declareLabel")} hint={t("declareHint")} error={state.fieldErrors?.startedAt}>
        <Input name="startedAt" type="date" min="2000-01-01" max={today} defaultValue={state.values?.startedAt} className="max-w-56" />
      </FormField>
      <div>
        <Button type="submit" disabled={pending}>
          {t("declareSubmit")}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-success">
        {state.ok ? state.message : null}
      </p>
    </form>
  );
}
