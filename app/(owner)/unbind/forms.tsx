"use client";

import { AlertCircle } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { confirmReverifyAction, createBatchAction, sendReverifyCodeAction } from "./actions";

export function ConfirmBatchForm({ platformIds }: { platformIds: string[] }) {
  const t = useTranslations("unbind");
  const [state, action, pending] = useActionState<ActionState, FormData>(createBatchAction, { ok: false });
  return (
    <form action={action} className="mt-6 flex flex-col gap-3">
      <input type="hidden" name="platforms" value={platformIds.join(",")} />
      {state.message ? (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-danger bg-danger-soft p-3 text-danger">
          <AlertCircle aria-hidden className="mt-0.5 size-5 shrink-0" />
          {state.message}
        </p>
      ) : null}
      <div>
        <Button type="submit" size="lg" disabled={pending}>
          {t("confirm")}
        </Button>
      </div>
    </form>
  );
}

/**
 * Two steps in place: text me a code, then enter it. Errors of the step submitted last are shown
 * in an error summary at the top that takes focus and links to the field (or the button) to fix,
 * and beside the field; a new code clears the old code's error.
 */
export function ReverifyForm({ maskedNumber }: { maskedNumber: string }) {
  const t = useTranslations("unbind");
  const router = useRouter();
  const [sent, send, sending] = useActionState<ActionState, FormData>(sendReverifyCodeAction, { ok: false });
  const [confirmed, confirm, confirming] = useActionState<ActionState, FormData>(confirmReverifyAction, { ok: false });
  const [last, setLast] = useState<"send" | "confirm" | null>(null);
  // The code being entered: the one last sent (a new code replaces every earlier one), or, when a
  // new code was refused, the earlier one (the send form hands it back), so a refused resend does
  // not hide the code field. Never read from `last`: it changes as the form is submitted.
  const challengeId = sent.ok ? sent.meta?.challengeId : sent.values?.challengeId || undefined;
  useEffect(() => {
    if (confirmed.ok) router.refresh();
  }, [confirmed.ok, router]);

  const sendError = last === "send" && !sent.ok ? sent.message : undefined;
  const confirmFailed = last === "confirm" && !confirmed.ok && confirmed.message;
  // A refused code belongs to the code field; a stale form (no challenge) to "text me a code".
  const codeError = confirmFailed ? (confirmed.fieldErrors?.code ?? (confirmed.fieldErrors?.challengeId ? undefined : confirmed.message)) : undefined;
  const challengeError = confirmFailed ? confirmed.fieldErrors?.challengeId : undefined;
  const summary = [
    ...(sendError ? [{ fieldId: "reverify-send", message: sendError }] : []),
    ...(challengeError ? [{ fieldId: "reverify-send", message: challengeError }] : []),
    ...(codeError ? [{ fieldId: "reverify-code", message: codeError }] : []),
  ];
  const pending = sending || confirming;

  return (
    <section aria-labelledby="reverify-title" className="mt-6 flex flex-col gap-4 rounded-lg border border-border bg-surface p-5">
      {summary.length > 0 && !pending ? (
        <ErrorSummary key={JSON.stringify(last === "send" ? sent : confirmed)} title={t("reverifyErrorTitle")} errors={summary} />
      ) : null}
      <h2 id="reverify-title" className="text-lg font-semibold">
        {t("reverifyTitle")}
      </h2>
      <p>{t("reverifyBody", { number: maskedNumber })}</p>
      <form action={send} onSubmit={() => setLast("send")}>
        <input type="hidden" name="challengeId" value={challengeId ?? ""} />
        <Button id="reverify-send" type="submit" variant={challengeId ? "secondary" : "primary"} disabled={sending} aria-describedby={sendError ? "reverify-send-error" : undefined}>
          {t("reverifySend")}
        </Button>
        {sendError ? <FieldError id="reverify-send-error" className="mt-2">{sendError}</FieldError> : null}
        <p aria-live="polite" className="mt-2 text-sm text-success">
          {sent.ok && last === "send" && !sending ? sent.message : null}
        </p>
      </form>
      {challengeId ? (
        <form action={confirm} onSubmit={() => setLast("confirm")} noValidate className="flex flex-col gap-3">
          <input type="hidden" name="challengeId" value={challengeId} />
          <FormField id="reverify-code" label={t("reverifyCode")} error={codeError}>
            <Input
              name="code"
              type="text"
              autoComplete="one-time-code"
              inputMode="numeric"
              spellCheck={false}
              maxLength={12}
              defaultValue={last === "confirm" && !confirmed.ok ? confirmed.values?.code : undefined}
              className="max-w-40"
            />
          </FormField>
          <div>
            {/* Not while a new code is on its way: this one is about to stop working. */}
            <Button type="submit" disabled={pending}>
              {t("reverifySubmit")}
            </Button>
          </div>
          <p aria-live="polite" className="text-sm text-success">
            {confirmed.ok ? confirmed.message : null}
          </p>
        </form>
      ) : null}
    </section>
  );
}
