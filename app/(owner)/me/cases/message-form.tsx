"use client";

import { AlertCircle, CheckCircle2, Send } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import type { ActionState } from "@/lib/actions";
import { answerCaseAction, contactCustomerServiceAction } from "./actions";

/** NOTE_MAX_CHARS of lib/cases/cases.ts (a server module): the server refuses more. */
const MAX_CHARS = 1000;

/**
 * A message to customer service: "contact customer service" on the number page (`caseId`
 * absent) or an answer on a case. A counter as the owner types; the text stays on any refusal
 * and goes once it was sent; the result is said in a live region (with a link to the case the
 * help request is in, on the number page).
 */
export function CaseMessageForm({ caseId }: { caseId?: string }) {
  const t = useTranslations("ownerCases");
  const [state, action, pending] = useActionState<ActionState, FormData>(caseId ? answerCaseAction : contactCustomerServiceAction, { ok: false });
  const [text, setText] = useState(state.values?.message ?? "");
  const [submits, setSubmits] = useState(0);
  const [seen, setSeen] = useState(state);
  // A new answer from the server: a sent message is cleared, a refused one stays as it was typed.
  if (seen !== state) {
    setSeen(state);
    if (state.ok) setText("");
  }
  const id = caseId ? "case-answer" : "case-message";
  const error = state.ok ? undefined : state.fieldErrors?.message;
  const formError = !state.ok && state.message && !error ? state.message : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    // Sent by hand so React does not reset the form: the text must survive a refusal.
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setSubmits((n) => n + 1);
    startTransition(() => action(data));
  }

  return (
    <form action={action} onSubmit={submit} noValidate className="mt-4 flex flex-col gap-4">
      {error ? <ErrorSummary key={submits} title={t("errorSummary")} errors={[{ fieldId: id, message: error }]} /> : null}
      {formError ? (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-danger bg-danger-soft p-3 text-danger">
          <AlertCircle aria-hidden className="mt-0.5 size-5 shrink-0" />
          {formError}
        </p>
      ) : null}
      {caseId ? <input type="hidden" name="caseId" value={caseId} /> : null}
      <FormField id={id} label={caseId ? t("answerLabel") : t("messageLabel")} hint={t("messageHint")} error={error}>
        <textarea
          name="message"
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring aria-invalid:border-danger"
        />
      </FormField>
      {/* Not cut off at the limit: a long paste stays whole, and the count says how much to trim. */}
      <p className={text.length > MAX_CHARS ? "-mt-3 text-right text-sm font-medium text-danger" : "-mt-3 text-right text-sm text-muted-foreground"}>
        {t("count", { count: text.length, max: MAX_CHARS })}
      </p>
      <div>
        <Button type="submit" disabled={pending}>
          <Send aria-hidden />
          {caseId ? t("answerSend") : t("send")}
        </Button>
      </div>
      <div aria-live="polite" className="min-h-6">
        {state.ok && state.message ? (
          <div className="flex items-start gap-2 rounded-md border border-success bg-success-soft p-3 text-success" data-testid="case-message-sent">
            <CheckCircle2 aria-hidden className="mt-0.5 size-5 shrink-0" />
            <div>
              <p>{state.message}</p>
              {!caseId && state.meta?.caseId ? (
                <Link href={`/me/cases/${state.meta.caseId}`} className="inline-flex min-h-11 items-center font-medium text-primary underline underline-offset-4">
                  {t("viewCase")}
                </Link>
              ) : null}
            </div>
          </div>
        ) : null}
      </div>
    </form>
  );
}
