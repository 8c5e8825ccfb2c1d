"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { staffSignIn } from "./actions";

export function StaffLoginForm() {
  const t = useTranslations("staffLogin");
  const [state, action, pending] = useActionState<ActionState, FormData>(staffSignIn, { ok: false });
  const fieldErrors = state.fieldErrors ?? {};
  const summary = Object.entries(fieldErrors).map(([fieldId, message]) => ({ fieldId, message }));
  if (state.message && summary.length === 0) summary.push({ fieldId: "email", message: state.message });

  return (
    <form action={action} noValidate className="mt-8 flex flex-col gap-6">
      {summary.length > 0 ? <ErrorSummary key={JSON.stringify(state)} title={t("errorTitle")} errors={summary} /> : null}
      <FormField id="email" label={t("email")} error={fieldErrors.email}>
        <Input name="email" type="email" autoComplete="username" spellCheck={false} defaultValue={state.values?.email} required />
      </FormField>
      <FormField id="password" label={t("password")} error={fieldErrors.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </FormField>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
