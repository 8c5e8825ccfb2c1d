"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { staffConfirmEnrolment, staffFinishEnrolment, staffVerifyCode } from "./login/actions";

function summaryOf(state: ActionState, fallbackField: string) {
  const fieldErrors = state.fieldErrors ?? {};
  const summary = Object.entries(fieldErrors).map(([fieldId, message]) => ({ fieldId, message }));
  if (state.message && summary.length === 0) summary.push({ fieldId: fallbackField, message: state.message });
  return { fieldErrors, summary };
}

/** The code step: a code from the authenticator app, or one of the recovery codes. */
export function StaffCodeForm() {
  const t = useTranslations("staffTotp");
  const [state, action, pending] = useActionState<ActionState, FormData>(staffVerifyCode, { ok: false });
  const { fieldErrors, summary } = summaryOf(state, "code");
  return (
    <form action={action} noValidate className="mt-8 flex flex-col gap-6">
      {summary.length > 0 ? <ErrorSummary key={JSON.stringify(state)} title={t("errorTitle")} errors={summary} /> : null}
      <FormField id="code" label={t("code")} hint={t("codeHint")} error={fieldErrors.code}>
        <Input name="code" autoComplete="one-time-code" spellCheck={false} autoCapitalize="off" maxLength={40} required />
      </FormField>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}

/** Enrolment: confirm the secret with a first code, then the recovery codes, shown this once. */
export function StaffEnrolForm() {
  const t = useTranslations("staffEnrol");
  const [state, action, pending] = useActionState<ActionState, FormData>(staffConfirmEnrolment, { ok: false });
  const [finishState, finish, finishing] = useActionState<ActionState, FormData>(staffFinishEnrolment, { ok: false });
  const codes = state.ok ? (state.meta?.recoveryCodes ?? "").split(" ").filter(Boolean) : [];
  if (codes.length > 0) {
    return (
      <section aria-labelledby="recovery-title" className="mt-8 flex flex-col gap-4">
        <h2 id="recovery-title" className="text-xl font-semibold">{t("recoveryTitle")}</h2>
        <p>{t("recoveryIntro")}</p>
        <ol className="grid grid-cols-2 gap-2 rounded-md border p-4 font-mono text-lg" aria-label={t("recoveryList")}>
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        {finishState.message ? (
          <p role="alert" className="font-medium text-destructive">
            {finishState.message}
          </p>
        ) : null}
        <form action={finish}>
          <Button type="submit" size="lg" className="w-full" disabled={finishing}>
            {t("saved")}
          </Button>
        </form>
      </section>
    );
  }
  const { fieldErrors, summary } = summaryOf(state, "code");
  return (
    <form action={action} noValidate className="mt-6 flex flex-col gap-6">
      {summary.length > 0 ? <ErrorSummary key={JSON.stringify(state)} title={t("errorTitle")} errors={summary} /> : null}
      <FormField id="code" label={t("code")} hint={t("codeHint")} error={fieldErrors.code}>
        <Input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} required />
      </FormField>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
