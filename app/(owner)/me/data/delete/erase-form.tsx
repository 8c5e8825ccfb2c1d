"use client";

import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { eraseMyDataAction, sendErasureCodeAction } from "./actions";

/** Two steps in place: text me a code, then enter it and delete (GOV.UK "Confirm a phone number"). */
export function EraseForm({ number }: { number: string }) {
  const t = useTranslations("erasure");
  const [sent, send, sending] = useActionState<ActionState, FormData>(sendErasureCodeAction, { ok: false });
  const [erased, erase, erasing] = useActionState<ActionState, FormData>(eraseMyDataAction, { ok: false });
  const challengeId = erased.values?.challengeId || sent.meta?.challengeId;
  const codeError = erased.fieldErrors?.code ?? erased.fieldErrors?.challengeId;
  return (
    <section aria-labelledby="confirm-title" className="mt-10 rounded-lg border border-danger p-5">
      <h2 id="confirm-title" className="text-xl font-semibold">
        {t("confirmTitle")}
      </h2>
      <p className="mt-2">{t("confirmBody", { number })}</p>
      <form action={send} className="mt-4">
        <Button type="submit" variant={challengeId ? "secondary" : "primary"} disabled={sending}>
          {challengeId ? t("resend") : t("send")}
        </Button>
        <p aria-live="polite" className={sent.ok ? "mt-2 text-sm text-success" : "mt-2 text-sm text-danger"}>
          {sent.message}
        </p>
      </form>
      {challengeId ? (
        <form action={erase} noValidate className="mt-4 flex flex-col gap-4">
          {codeError ? <ErrorSummary key={JSON.stringify(erased)} title={t("errorTitle")} errors={[{ fieldId: "erase-code", message: codeError }]} /> : null}
          <input type="hidden" name="challengeId" value={challengeId} />
          <FormField id="erase-code" label={t("code")} hint={t("codeHint")} error={codeError}>
            <Input name="code" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} maxLength={12} defaultValue={erased.values?.code} className="max-w-48 font-mono text-xl tracking-[0.2em]" />
          </FormField>
          {!codeError && erased.message ? (
            <p role="alert" className="text-sm text-danger">
              {erased.message}
            </p>
          ) : null}
          <div>
            <Button type="submit" variant="danger" size="lg" disabled={erasing}>
              <Trash2 aria-hidden />
              {erasing ? t("erasing") : t("submit")}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
