"use client";

import { AlertCircle, ChevronDown, Send, Sparkles } from "lucide-react";
import { useTranslations } from "next-intl";
import { startTransition, useActionState, useMemo, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ErrorSummary, FieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions";
import { classifyMessage, detectPlatform, REPORT_CATEGORIES, REPORT_CHANNELS, type ReportCategory, type ReportChannel } from "@/lib/reports/classify";
import { liveFieldErrors, reportFieldProblem } from "@/lib/reports/form-rules";
import { forwardedCopy } from "@/lib/reports/forwarded";
import { EVIDENCE_LIMITS, MAX_TEXT_CHARS } from "@/lib/reports/limits";
import type { PlatformOption } from "@/lib/reports/queries";
import { createReportAction } from "./actions";

const { maxFiles: MAX_FILES, maxBytes: MAX_FILE_BYTES } = EVIDENCE_LIMITS;
const selectClass =
  "h-11 w-full rounded-md border border-input bg-background px-3 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring aria-invalid:border-danger";

/**
 * Paste, check the suggestion, send: the quick path is the text alone, with the category and the
 * platform suggested as the owner types (the same rules the server applies). Everything else is
 * optional and folded away. On a refused submit every typed value comes back; files, which a
 * browser cannot be given back, are named in the error. A field's error goes (or changes) as soon
 * as the owner fixes it, and the summary with it. Before sending, the owner can see the text
 * exactly as the platform will receive it.
 *
 * `initial`: a repeat of an earlier report ("it happened again") starts with who sent it and how.
 */
export function ReportForm({ platforms, initial }: { platforms: PlatformOption[]; initial?: Partial<Record<"repeatOf" | "channel" | "category" | "platform" | "company" | "sender", string>> }) {
  const t = useTranslations("reports");
  const [state, action, pending] = useActionState<ActionState, FormData>(createReportAction, { ok: false });
  const v = state.values ?? {};
  const [text, setText] = useState(v.text ?? "");
  const [channel, setChannel] = useState<ReportChannel>(((v.channel || initial?.channel) as ReportChannel) || "sms");
  const [sender, setSender] = useState(v.sender ?? initial?.sender ?? "");
  const [chosenCategory, setChosenCategory] = useState<ReportCategory | "">(((v.category || initial?.category) as ReportCategory) || "");
  const [chosenPlatform, setChosenPlatform] = useState<string | null>(v.platform ?? initial?.platform ?? null);
  const [company, setCompany] = useState(v.company ?? initial?.company ?? "");
  const [receivedAt, setReceivedAt] = useState(v.receivedAt ?? "");
  // Files cannot be compared with what was refused: choosing again after the submit is the owner's fix.
  const [filesChosen, setFilesChosen] = useState(0);
  const [filesAtSubmit, setFilesAtSubmit] = useState(0);
  const [submits, setSubmits] = useState(0);
  const [fileError, setFileError] = useState<string | null>(null);
  const repeatOf = v.repeatOf ?? initial?.repeatOf ?? "";

  const suggestion = useMemo(() => (text.trim() ? classifyMessage({ text, channel, sender }) : null), [text, channel, sender]);
  const detected = useMemo(() => (text.trim() || sender.trim() ? detectPlatform({ text, sender }, platforms) : null), [text, sender, platforms]);
  // The owner's choice wins; until they make one, the fields follow the suggestion.
  const category = chosenCategory || suggestion?.category || "";
  const platform = chosenPlatform ?? detected?.id ?? "";
  const detectedLabel = detected ? platforms.find((p) => p.id === detected.id)?.label : undefined;
  const platformLabel = platform ? platforms.find((p) => p.id === platform)?.label : undefined;
  const preview = useMemo(() => forwardedCopy({ text, sender }), [text, sender]);

  const refused = state.fieldErrors ?? {};
  // The refusal's errors, each kept only while its field still holds the refused value.
  const errors = liveFieldErrors(
    refused,
    { ...v, evidence: `chosen:${filesAtSubmit}` },
    { text, channel, sender, receivedAt, category, platform, company, evidence: `chosen:${filesChosen}` },
    (field, value) => {
      const problem = reportFieldProblem(field, value, new Date());
      return problem ? t(problem as Parameters<typeof t>[0]) : null;
    },
  );
  // From the refusal, not the live errors: the section must not fold away while the owner types in it.
  const detailsOpen = Boolean(refused.sender || refused.receivedAt || refused.evidence || v.sender || v.receivedAt || initial?.sender);

  function checkFiles(files: FileList | null) {
    setFilesChosen((n) => n + 1);
    const list = [...(files ?? [])];
    if (list.length > MAX_FILES) return setFileError(t("errors.tooManyFiles"));
    const big = list.find((f) => f.size > MAX_FILE_BYTES);
    setFileError(big ? t("errors.fileTooLargeNamed", { name: big.name }) : null);
  }

  const summary = Object.entries(errors).map(([field, message]) => ({ fieldId: `report-${field}`, message }));
  const hadFieldErrors = Object.keys(refused).length > 0;

  // Submitted by hand rather than through `action`: React resets a form after an action, and a
  // reset puts controlled selects and radios back to their first values on screen while the
  // state still holds the owner's choices. Without JavaScript the form posts to the action as is.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setSubmits((n) => n + 1);
    setFilesAtSubmit(filesChosen);
    startTransition(() => action(data));
  }

  return (
    <form action={action} onSubmit={submit} noValidate className="flex flex-col gap-6" aria-describedby={state.message && !state.ok ? "report-form-error" : undefined}>
      {hadFieldErrors ? (
        // A new key per submission: the summary takes focus and is announced again each time. It
        // stays mounted while the owner fixes fields (empty, it renders nothing), so an error that
        // comes back as they type never moves their focus.
        <ErrorSummary key={submits} title={t("errors.summary")} errors={summary} />
      ) : state.message && !state.ok ? (
        <p id="report-form-error" role="alert" className="flex items-start gap-2 rounded-md border border-danger bg-danger-soft p-3 text-danger">
          <AlertCircle aria-hidden className="mt-0.5 size-5 shrink-0" />
          {state.message}
        </p>
      ) : null}

      {repeatOf ? <input type="hidden" name="repeatOf" value={repeatOf} /> : null}
      <FormField id="report-text" label={t("textLabel")} hint={t("textHint")} error={errors.text}>
        <textarea
          name="text"
          required
          rows={6}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-full rounded-md border border-input bg-background px-3 py-2 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring aria-invalid:border-danger"
        />
      </FormField>
      {/* Not cut off at the limit: a long paste stays whole, and the count says how much to trim. */}
      <p className={text.length > MAX_TEXT_CHARS ? "-mt-4 text-right text-sm font-medium text-danger" : "-mt-4 text-right text-sm text-muted-foreground"}>
        {t("textCount", { count: text.length, max: MAX_TEXT_CHARS })}
      </p>

      <div aria-live="polite" className="-mt-2 min-h-6">
        {suggestion && suggestion.category !== "other" ? (
          <p className="flex items-start gap-2 rounded-md bg-accent-soft px-3 py-2 text-sm text-primary" data-testid="report-suggestion">
            <Sparkles aria-hidden className="mt-0.5 size-4 shrink-0" />
            <span>
              {t("suggested", { category: t(`category.${suggestion.category}`) })}
              {detectedLabel ? ` ${t("detectedPlatform", { platform: detectedLabel })}` : ""}
            </span>
          </p>
        ) : null}
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("channelLabel")}</legend>
        <div className="grid grid-cols-3 gap-2">
          {REPORT_CHANNELS.map((c, index) => (
            <label
              key={c}
              className="flex min-h-11 cursor-pointer items-center justify-center gap-2 rounded-md border border-input px-2 text-center text-sm has-checked:border-primary has-checked:bg-accent-soft has-checked:font-semibold has-checked:text-primary has-focus-visible:outline-2 has-focus-visible:outline-ring"
            >
              <input
                id={index === 0 ? "report-channel" : undefined}
                type="radio"
                name="channel"
                value={c}
                checked={channel === c}
                onChange={() => setChannel(c)}
                className="sr-only"
              />
              {t(`channel.${c}`)}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-6 sm:grid-cols-2">
        <FormField id="report-category" label={t("categoryLabel")} hint={t("categoryHint")} error={errors.category}>
          <select name="category" value={category} onChange={(e) => setChosenCategory(e.target.value as ReportCategory)} className={selectClass}>
            <option value="">{t("categoryAuto")}</option>
            {REPORT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="report-platform" label={t("platformLabel")} hint={t("platformHint")} error={errors.platform}>
          <select name="platform" value={platform} onChange={(e) => setChosenPlatform(e.target.value)} className={selectClass}>
            <option value="">{t("platformNone")}</option>
            {platforms.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </FormField>
      </div>
      {platform === "" ? (
        <FormField id="report-company" label={t("companyLabel")} hint={t("companyHint")} error={errors.company}>
          <Input name="company" value={company} onChange={(e) => setCompany(e.target.value)} maxLength={100} autoComplete="off" />
        </FormField>
      ) : null}

      <details open={detailsOpen} className="group rounded-md border border-border">
        <summary className="flex min-h-11 cursor-pointer list-none items-center justify-between gap-2 px-4 py-2 font-medium">
          {t("moreDetails")}
          <ChevronDown aria-hidden className="size-4 transition-transform group-open:rotate-180" />
        </summary>
        <div className="flex flex-col gap-5 border-t border-border px-4 py-4">
          <FormField id="report-sender" label={t("senderLabel")} hint={t("senderHint")} error={errors.sender}>
            <Input name="sender" value={sender} onChange={(e) => setSender(e.target.value)} maxLength={64} autoComplete="off" />
          </FormField>
          <FormField id="report-receivedAt" label={t("receivedAtLabel")} hint={t("receivedAtHint")} error={errors.receivedAt}>
            <Input name="receivedAt" type="datetime-local" value={receivedAt} onChange={(e) => setReceivedAt(e.target.value)} className="max-w-64" />
          </FormField>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="report-evidence" className="text-sm font-medium">
              {t("evidenceLabel")}
            </label>
            <p id="report-evidence-hint" className="text-sm text-muted-foreground">
              {t("evidenceHint")}
            </p>
            {errors.evidence || fileError ? <FieldError id="report-evidence-error">{fileError ?? errors.evidence}</FieldError> : null}
            <input
              id="report-evidence"
              name="evidence"
              type="file"
              multiple
              accept="image/png,image/jpeg,image/webp,image/heic,.heic"
              onChange={(e) => checkFiles(e.target.files)}
              aria-describedby={`report-evidence-hint${errors.evidence || fileError ? " report-evidence-error" : ""}`}
              aria-invalid={errors.evidence || fileError ? true : undefined}
              className="text-sm file:mr-3 file:min-h-11 file:rounded-md file:border file:border-input file:bg-muted file:px-3 file:font-medium"
            />
          </div>
        </div>
      </details>

      {platformLabel ? (
        <details className="group rounded-md border border-border" data-testid="report-preview">
          <summary className="flex min-h-11 cursor-pointer list-none items-center justify-between gap-2 px-4 py-2 font-medium">
            {t("previewTitle", { platform: platformLabel })}
            <ChevronDown aria-hidden className="size-4 shrink-0 transition-transform group-open:rotate-180" />
          </summary>
          <div className="border-t border-border px-4 py-4">
            <p className="text-sm text-muted-foreground">{t("previewBody")}</p>
            {preview.text ? (
              <dl className="mt-3 flex flex-col gap-1 text-sm">
                <dt className="font-medium">{t("previewText")}</dt>
                <dd className="rounded-md border-l-4 border-primary bg-muted p-3 break-words whitespace-pre-wrap" data-testid="report-preview-text">
                  {preview.text}
                </dd>
                {preview.sender ? (
                  <>
                    <dt className="mt-2 font-medium">{t("senderLabel")}</dt>
                    <dd className="break-words" data-testid="report-preview-sender">
                      {preview.sender}
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <p className="mt-3 text-sm">{t("previewEmpty")}</p>
            )}
          </div>
        </details>
      ) : null}

      <div>
        <Button type="submit" size="lg" disabled={pending || Boolean(fileError)} className="w-full sm:w-auto">
          <Send aria-hidden />
          {pending ? t("sending") : t("submit")}
        </Button>
      </div>
    </form>
  );
}
