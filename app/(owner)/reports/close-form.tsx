"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions";
import { closeReportAction } from "./actions";

/** "I no longer need this": the report leaves every queue, and later answers are ignored. */
export function CloseReportForm({ reportId }: { reportId: string }) {
  const t = useTranslations("reports");
  const [state, action, pending] = useActionState<ActionState, FormData>(closeReportAction, { ok: false });
  return (
    <form action={action} className="mt-8 flex flex-col gap-2">
      <input type="hidden" name="reportId" value={reportId} />
      <p className="text-sm text-muted-foreground">{t("closeHint")}</p>
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {t("close")}
        </Button>
      </div>
      <p aria-live="polite" className={state.ok ? "text-sm text-success" : "text-sm text-danger"}>
        {state.message}
      </p>
    </form>
  );
}
