import "server-only";
import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { isDatabaseError, logServerError, toDatabaseError } from "@/lib/errors";
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

export const initialActionState: ActionState = { ok: false };

type Translate = Awaited<ReturnType<typeof getTranslations>>;

/**
 * Wraps a form action: parse with zod (issues become translated field errors, keyed by the
 * message key in the schema), then run. `keep` names the fields echoed back on failure.
 * Guards (role, ownership) run inside `run`, through lib/auth/guards.
 */
export function formAction<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  options: { keep?: string[] },
  /** `formData` is there for what a schema does not parse, such as uploaded files. */
  run: (data: z.infer<S>, t: Translate, formData: FormData) => Promise<ActionState>,
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const t = await getTranslations();
    // A server action is a public endpoint: a hand-made argument list is refused, not a crash.
    if (!(formData instanceof FormData)) return { ok: false, message: t("forms.badRequest") };
    // Free text is cleaned once, here: NUL and other control characters never reach the database.
    const text = Object.fromEntries([...formData].filter((entry): entry is [string, string] => typeof entry[1] === "string").map(([k, v]) => [k, cleanText(v)]));
    const values = Object.fromEntries((options.keep ?? []).map((name) => [name, text[name] ?? ""]));
    // Files are the run's to read (formData.getAll); the schema sees the text fields.
    const parsed = schema.safeParse(text);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "form");
        // Schemas name a message key; a rule without one (zod's own English) gets a general line.
        const key = issue.message as Parameters<Translate>[0];
        fieldErrors[field] ??= t.has(key) ? t(key) : t("forms.invalidField");
      }
      return { ok: false, message: t("forms.fixErrors"), fieldErrors, values };
    }
    let result: ActionState;
    try {
      result = await run(parsed.data, t, formData);
    } catch (error) {
      // redirect() and notFound() work by throwing: they are answers, not failures.
      unstable_rethrow(error);
      // Logged by code and request id only; what the user typed is handed back, so nothing is lost.
      const requestId = logServerError("action", error);
      const unavailable = isDatabaseError(error) && toDatabaseError(error).unavailable;
      return { ok: false, message: t(unavailable ? "forms.unavailable" : "forms.unexpected", { requestId }), values };
    }
    return result.ok ? result : { ...result, values: { ...values, ...result.values } };
  };
}

