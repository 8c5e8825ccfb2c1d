"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { resendCode } from "../actions";

/**
 * "Send a new code", disabled with a countdown until the 60-second gap has passed. The server says
 * how many seconds are left (its clock decides); the countdown runs on the browser's clock.
 */
export function ResendForm({ waitSeconds }: { waitSeconds: number }) {
  const t = useTranslations("verify");
  const [deadline, setDeadline] = useState(() => Date.now() + waitSeconds * 1000);
  const [now, setNow] = useState(() => Date.now());
  const [state, action, pending] = useActionState<ActionState, FormData>(async (previous, form) => {
    const next = await resendCode(previous, form);
    if (next.meta?.waitSeconds) setDeadline(Date.now() + Number(next.meta.waitSeconds) * 1000);
    return next;
  }, { ok: false });

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));

  return (
    <form action={action} className="mt-6 flex flex-col items-start gap-2 border-t border-border pt-6">
      <Button type="submit" variant="secondary" disabled={pending || left > 0}>
        {t("resend")}
      </Button>
      {left > 0 ? (
        <p suppressHydrationWarning className="text-sm text-muted-foreground">
          {t("resendIn", { seconds: left })}
        </p>
      ) : null}
      <p aria-live="polite" className={state.ok ? "text-sm text-success" : "text-sm text-danger"}>
        {state.message}
      </p>
    </form>
  );
}
