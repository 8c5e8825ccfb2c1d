"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { submitCode } from "../actions";

export function VerifyForm({ next }: { next: string | null }) {
  const t = useTranslations("verify");
  const [state, action, pending] = useActionState<ActionState, FormData>(submitCode, { ok: false });
  const error = state.fieldErrors?.code;
  return (
    <form action={action} noValidate className="mt-8 flex flex-col gap-6">
      {error ? <ErrorSummary key={JSON.stringify(state)} title={t("errorTitle")} errors={[{ fieldId: "code", message: error }]} /> : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField id="code" label={t("code")} hint={t("codeHint")} error={error}>
        <Input
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          spellCheck={false}
          maxLength={12}
          defaultValue={state.values?.code}
          className="max-w-48 font-mono text-2xl tracking-[0.3em]"
        />
      </FormField>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
