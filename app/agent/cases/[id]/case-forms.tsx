"use client";

import { CheckCircle2, AlertCircle } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionState, useId } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import {
  addCaseNote,
  changeCaseStatus,
  confirmCaseTenure,
  contactCasePlatform,
  replyToCaseOwner,
  resendCaseItem,
  revealCaseReportText,
} from "./actions";

type ServerAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

const textareaClass =
  "min-h-24 w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring";
const selectClass = "min-h-11 w-full rounded-md border border-input bg-background px-3 text-base sm:w-auto";

/** The outcome of a form, in words and an icon, in a live region. */
function Outcome({ state }: { state: ActionState }) {
  if (!state.message) return <p role="status" className="sr-only" />;
  const Icon = state.ok ? CheckCircle2 : AlertCircle;
  return (
    <p role="status" className={`flex items-start gap-1.5 text-sm font-medium ${state.ok ? "text-success" : "text-danger"}`}>
      <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      {state.message}
    </p>
  );
}

function useCaseAction(run: ServerAction) {
  return useActionState<ActionState, FormData>(run, { ok: false });
}

/** A report's full text on request (audited; for the assigned agent only, the server decides). */
export function RevealReport({ caseId, reportId }: { caseId: string; reportId: string }) {
  const t = useTranslations("agentCase");
  const [state, action, pending] = useCaseAction(revealCaseReportText);
  if (state.ok && state.meta?.text !== undefined) {
    return (
      <p className="mt-2 whitespace-pre-wrap rounded-md bg-muted p-3 text-sm" role="status">
        <span className="sr-only">{t("reports.fullText")}: </span>
        {state.meta.text}
      </p>
    );
  }
  return (
    <form action={action} className="mt-2 flex flex-col gap-2">
      <input type="hidden" name="id" value={caseId} />
      <input type="hidden" name="reportId" value={reportId} />
      <Button type="submit" variant="secondary" size="sm" className="min-h-11 self-start" disabled={pending}>
        {t("reports.reveal")}
      </Button>
      <Outcome state={state} />
    </form>
  );
}

/** "Send again" for one item of the case's batch. */
export function ResendItem({ caseId, itemId, platform }: { caseId: string; itemId: string; platform: string }) {
  const t = useTranslations("agentCase");
  const [state, action, pending] = useCaseAction(resendCaseItem);
  return (
    <form action={action} className="flex flex-col gap-1">
      <input type="hidden" name="id" value={caseId} />
      <input type="hidden" name="itemId" value={itemId} />
      <Button type="submit" variant="secondary" size="sm" className="min-h-11" disabled={pending || state.ok} aria-label={t("batches.resendLabel", { platform })}>
        {t("batches.resend")}
      </Button>
      <Outcome state={state} />
    </form>
  );
}

export function StatusForm({ caseId, options }: { caseId: string; options: { value: string; label: string }[] }) {
  const [state, action, pending] = useCaseAction(changeCaseStatus);
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="id" value={caseId} />
      <div className="flex flex-wrap gap-2">
        {options.map((o) => (
          <Button key={o.value} type="submit" name="to" value={o.value} variant="secondary" disabled={pending}>
            {o.label}
          </Button>
        ))}
      </div>
      <Outcome state={state} />
    </form>
  );
}

function TextForm({ caseId, run, label, hint, submit, name = "text", extra }: { caseId: string; run: ServerAction; label: string; hint?: string; submit: string; name?: string; extra?: (state: ActionState) => React.ReactNode }) {
  const id = useId();
  const [state, action, pending] = useCaseAction(run);
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      <input type="hidden" name="id" value={caseId} />
      {extra?.(state)}
      <FormField id={`${id}-text`} label={label} hint={hint} error={state.fieldErrors?.[name]}>
        <textarea name={name} className={textareaClass} maxLength={1000} defaultValue={state.ok ? "" : (state.values?.[name] ?? "")} key={state.ok ? "sent" : "draft"} />
      </FormField>
      <Button type="submit" className="self-start" disabled={pending}>
        {submit}
      </Button>
      <Outcome state={state} />
    </form>
  );
}

export function NoteForm({ caseId }: { caseId: string }) {
  const t = useTranslations("agentCase");
  return <TextForm caseId={caseId} run={addCaseNote} label={t("note.label")} hint={t("note.hint")} submit={t("note.submit")} />;
}

export function ReplyForm({ caseId }: { caseId: string }) {
  const t = useTranslations("agentCase");
  const id = useId();
  return (
    <TextForm
      caseId={caseId}
      run={replyToCaseOwner}
      label={t("reply.label")}
      hint={t("reply.hint")}
      submit={t("reply.submit")}
      extra={(state) => (
        <label htmlFor={`${id}-wait`} className="flex min-h-11 items-center gap-3">
          <input id={`${id}-wait`} type="checkbox" name="wait" className="size-5" defaultChecked={state.values?.wait === "on"} />
          {t("reply.wait")}
        </label>
      )}
    />
  );
}

export function ContactForm({ caseId, protocol }: { caseId: string; protocol: boolean }) {
  const t = useTranslations("agentCase");
  const id = useId();
  return (
    <TextForm
      caseId={caseId}
      run={contactCasePlatform}
      label={t("contact.text")}
      hint={protocol ? t("contact.hintProtocol") : t("contact.hint")}
      submit={t("contact.submit")}
      extra={(state) => (
        <FormField id={`${id}-method`} label={t("contact.methodLabel")}>
          <select name="method" className={selectClass} defaultValue={state.values?.method ?? (protocol ? "protocol" : "called")}>
            {protocol ? <option value="protocol">{t("contact.method.protocol")}</option> : null}
            <option value="called">{t("contact.method.called")}</option>
            <option value="emailed">{t("contact.method.emailed")}</option>
            <option value="other">{t("contact.method.other")}</option>
          </select>
        </FormField>
      )}
    />
  );
}

export function TenureForm({ caseId, current }: { caseId: string; current: string }) {
  const t = useTranslations("agentCase");
  const id = useId();
  const [state, action, pending] = useCaseAction(confirmCaseTenure);
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      <input type="hidden" name="id" value={caseId} />
      <FormField id={`${id}-start`} label={t("tenure.startLabel")} hint={t("tenure.startHint", { current })} error={state.fieldErrors?.startedAt}>
        <Input type="date" name="startedAt" className="sm:w-auto" defaultValue={state.values?.startedAt ?? ""} />
      </FormField>
      <label htmlFor={`${id}-resolve`} className="flex min-h-11 items-center gap-3">
        <input id={`${id}-resolve`} type="checkbox" name="resolve" className="size-5" defaultChecked={state.values?.resolve === "on"} />
        {t("tenure.resolve")}
      </label>
      <Button type="submit" className="self-start" disabled={pending}>
        {t("tenure.submit")}
      </Button>
      <Outcome state={state} />
    </form>
  );
}
