"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { sendCode } from "./actions";

export function NumberForm({ countries, next }: { countries: { code: string; label: string }[]; next: string | null }) {
  const t = useTranslations("login");
  const [state, action, pending] = useActionState<ActionState, FormData>(sendCode, { ok: false });
  const errors = state.fieldErrors ?? {};
  const summary = Object.entries(errors).map(([fieldId, message]) => ({ fieldId, message }));

  return (
    <form action={action} noValidate className="mt-8 flex flex-col gap-6">
      {summary.length > 0 ? <ErrorSummary key={JSON.stringify(state)} title={t("errorTitle")} errors={summary} /> : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField id="country" label={t("country")} error={errors.country}>
        <select
          name="country"
          defaultValue={state.values?.country ?? "CN"}
          className="min-h-11 w-full rounded-md border border-input bg-background px-3 text-base"
        >
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="number" label={t("number")} hint={t("numberHint")} error={errors.number}>
        <Input
          name="number"
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          spellCheck={false}
          defaultValue={state.values?.number}
          className="text-lg tracking-wide"
        />
      </FormField>
      <div className={errors.terms ? "border-l-4 border-danger pl-3" : undefined}>
        {errors.terms ? (
          <p id="terms-error" className="mb-2 text-sm font-medium text-danger">
            {errors.terms}
          </p>
        ) : null}
        <label htmlFor="terms" className="flex min-h-11 cursor-pointer items-start gap-3">
          <input
            id="terms"
            name="terms"
            type="checkbox"
            defaultChecked={state.values?.terms === "on"}
            aria-invalid={errors.terms ? true : undefined}
            aria-describedby={errors.terms ? "terms-error" : undefined}
            className="mt-1 size-5 shrink-0 accent-primary"
          />
          <span>
            {t.rich("terms", {
              terms: (chunks) => (
                <Link href="/terms" target="_blank" className="text-primary underline">
                  {chunks}
                </Link>
              ),
              privacy: (chunks) => (
                <Link href="/privacy" target="_blank" className="text-primary underline">
                  {chunks}
                </Link>
              ),
            })}
          </span>
        </label>
      </div>
      <Button type="submit" size="lg" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
