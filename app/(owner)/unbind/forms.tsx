"use client";

import { AlertCircle } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
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

/** Two steps in place: text me a code, then enter it. */
export function ReverifyForm({ maskedNumber }: { maskedNumber: string }) {
  const t = useTranslations("unbind");
  const router = useRouter();
  const [sent, send, sending] = useActionState<ActionState, FormData>(sendReverifyCodeAction, { ok: false });
  const [confirmed, confirm, confirming] = useActionState<ActionState, FormData>(confirmReverifyAction, { ok: false });
  const challengeId = confirmed.meta?.challengeId ?? sent.meta?.challengeId;
  useEffect(() => {
    if (confirmed.ok) router.refresh();
  }, [confirmed.ok, router]);
  return (
    <section aria-labelledby="reverify-title" className="mt-6 rounded-lg border border-border bg-surface p-5">
      <h2 id="reverify-title" className="text-lg font-semibold">
        {t("reverifyTitle")}
      </h2>
      <p className="mt-2">{t("reverifyBody", { number: maskedNumber })}</p>
      <form action={send} className="mt-4">
        <Button type="submit" variant={challengeId ? "secondary" : "primary"} disabled={sending}>
          {t("reverifySend")}
        </Button>
        <p aria-live="polite" className={sent.ok ? "mt-2 text-sm text-success" : "mt-2 text-sm text-danger"}>
          {sent.message}
        </p>
      </form>
      {challengeId ? (
        <form action={confirm} noValidate className="mt-4 flex flex-col gap-3">
          <input type="hidden" name="challengeId" value={challengeId} />
          <FormField id="reverify-code" label={t("reverifyCode")} error={confirmed.fieldErrors?.code}>
            <Input name="code" autoComplete="one-time-code" inputMode="numeric" maxLength={12} className="max-w-40" />
          </FormField>
          <div>
            <Button type="submit" disabled={confirming}>
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
