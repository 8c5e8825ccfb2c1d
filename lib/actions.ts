import "server-only";
import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { forPage, type Guard } from "@/lib/auth/guards";
import { AppError, appErrorMessage, isDatabaseError, logServerError, toDatabaseError } from "@/lib/errors";
import { waitPhrase } from "@/lib/i18n/wait";
import { cleanText } from "@/lib/text";

/** The one shape every form action returns, read with useActionState. */
export interface ActionState {
  ok: boolean;
  /** Translated summary, shown in the form's live region. */
  message?: string;
  /** Translated message per field name. */
  fieldErrors?: Record<string, string>;
  /** What the user typed (never secrets), so a failed submit loses nothing. */
  values?: Record<string, string>;
  /** Anything else the form needs back (e.g. when a new code may be requested). */
  meta?: Record<string, string>;
}

type Translate = Awaited<ReturnType<typeof getTranslations>>;

/** What an action's body receives: the parsed fields, who is acting (from the guard), translations. */
export interface ActionContext<D, P> {
  data: D;
  who: P;
  t: Translate;
  /** For what a schema does not parse, such as uploaded files. */
  formData: FormData;
}

type FieldsSchema = z.ZodType<Record<string, unknown>>;

/**
 * Every server action is built here: guard → parse → run, with one way to fail.
 *
 * - The guard (lib/auth/guards.ts) runs first: a signed-out visitor is sent to sign in, staff of
 *   another role to their own home, before a field is read or a validation message given.
 * - Text fields are cleaned of control characters, then parsed with zod; each issue becomes a
 *   translated message beside its field (the schema names the message key).
 * - `run` may return a refusal, or throw an `AppError` whose code names its message
 *   (lib/errors.ts); any other error is logged by code and request id only.
 * - On every failure the fields named in `keep` are handed back, so nothing typed is lost.
 *
 * Read with useActionState: `(previousState, formData)`. For a plain `<form action>` without
 * state (sign-out, the language switcher) use `formPost`.
 */
export function action<S extends FieldsSchema, P>(
  schema: S,
  guard: Guard<P>,
  run: (context: ActionContext<z.infer<S>, P>) => Promise<ActionState>,
  options: { keep?: string[] } = {},
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const t = await getTranslations();
    // A server action is a public endpoint: a hand-made argument list is refused, not a crash.
    if (!(formData instanceof FormData)) return { ok: false, message: t("forms.badRequest") };
    const who = await forPage(guard);
    const input = readFields(formData, options.keep);
    const parsed = schema.safeParse(input.text);
    if (!parsed.success) return { ok: false, message: t("forms.fixErrors"), fieldErrors: fieldErrorsOf(parsed.error, t), values: input.values };
    let result: ActionState;
    try {
      result = await run({ data: parsed.data, who, t, formData });
    } catch (error) {
      return { ...(await failure(error, t)), values: input.values };
    }
    return result.ok ? result : { ...result, values: { ...input.values, ...result.values } };
  };
}

/** A server action for a plain `<form action>` (no state to show): guard → parse → run. */
export function formPost<S extends FieldsSchema, P>(schema: S, guard: Guard<P>, run: (context: ActionContext<z.infer<S>, P>) => Promise<void>) {
  return async (formData: FormData): Promise<void> => {
    // A hand-made argument list, or fields that do not parse, change nothing.
    if (!(formData instanceof FormData)) return;
    const who = await forPage(guard);
    const parsed = schema.safeParse(readFields(formData).text);
    if (!parsed.success) return;
    await run({ data: parsed.data, who, t: await getTranslations(), formData });
  };
}

/** The text fields, cleaned once here (NUL and other control characters never reach the database). */
function readFields(formData: FormData, keep: string[] = []) {
  const text = Object.fromEntries([...formData].filter((entry): entry is [string, string] => typeof entry[1] === "string").map(([k, v]) => [k, cleanText(v)]));
  const values = Object.fromEntries(keep.map((name) => [name, text[name] ?? ""]));
  return { text, values };
}

function fieldErrorsOf(error: z.ZodError, t: Translate): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    // Schemas name a message key; a rule without one (zod's own English) gets a general line.
    const key = issue.message as Parameters<Translate>[0];
    fieldErrors[field] ??= t.has(key) ? t(key) : t("forms.invalidField");
  }
  return fieldErrors;
}

/** A thrown error as the form shows it. redirect() and notFound() are answers, not failures. */
async function failure(error: unknown, t: Translate): Promise<ActionState> {
  unstable_rethrow(error);
  if (error instanceof AppError) return refusalState(error, t);
  // Logged by code and request id only; what the user typed is handed back, so nothing is lost.
  const requestId = logServerError("action", error);
  const unavailable = isDatabaseError(error) && toDatabaseError(error).unavailable;
  return { ok: false, message: t(unavailable ? "forms.unavailable" : "forms.unexpected", { requestId }) };
}

/**
 * An AppError as the form shows it: the message, and beside its field when it names one. For the
 * rare refusal that must hand back more than `keep` does (`meta`); otherwise throw the AppError.
 */
export async function refusalState(error: AppError, t: Translate): Promise<ActionState & { ok: false }> {
  const message = await appErrorText(error, t);
  return { ok: false, message, fieldErrors: error.field ? { [error.field]: message } : undefined };
}

/** An AppError in the reader's language: its code's message, with `{when}` for a wait. */
export async function appErrorText(error: AppError, t: Translate): Promise<string> {
  const { retryAfterSeconds, ...values } = error.details;
  if (retryAfterSeconds !== undefined) values.when = await waitPhrase(Number(retryAfterSeconds));
  return t(appErrorMessage(error.code), values);
}
