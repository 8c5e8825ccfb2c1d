"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { staffChangePassword } from "../login/actions";

export function StaffPasswordForm() {
  const t = useTranslations("staffLogin.changePassword");
  const [state, action, pending] = useActionState<ActionState, FormData>(staffChangePassword, { ok: false });
  const fieldErrors = state.fieldErrors ?? {};
  const summary = Object.entries(fieldErrors).map(([fieldId, message]) => ({ fieldId, message }));
  if (state.message && summary.length === 0) summary.push({ fieldId: "password", message: state.message });
  return (
    <form action={action} noValidate className="mt-8 flex flex-col gap-6">
      {summary.length > 0 ? <ErrorSummary key={JSON.stringify(state)} title={t("errorTitle")} errors={summary} /> : null}
      <FormField id="password" label={t("password")} hint={t("passwordHint")} error={fieldErrors.password}>
        <Input name="password" type="password" autoComplete="new-password" required />
      </FormField>
      <FormField id="confirm" label={t("confirm")} error={fieldErrors.confirm}>
        <Input name="confirm" type="password" autoComplete="new-password" required />
      </FormField>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
