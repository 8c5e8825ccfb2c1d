"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { resendCode } from "../actions";


/** "Send a new code", disabled with a countdown until the 60-second gap has passed. */
export function ResendForm({ resendAt: initial }: { resendAt: string }) {
  const t = useTranslations("verify");
  const [state, action, pending] = useActionState<ActionState, FormData>(resendCode, { ok: false });
  const resendAt = state.meta?.resendAt ?? initial;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((new Date(resendAt).getTime() - now) / 1000));

  return (
    <form action={action} className="mt-4 flex flex-col items-start gap-2">
      <Button type="submit" variant="secondary" disabled={pending || left > 0}>
        {t("resend")}
      </Button>
      {left > 0 ? <p suppressHydrationWarning className="text-sm text-muted-foreground">{t("resendIn", { seconds: left })}</p> : null}
      <p aria-live="polite" className={state.ok ? "text-sm text-success" : "text-sm text-danger"}>
        {state.message}
      </p>
    </form>
  );
}
