import "server-only";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";

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
    const values = Object.fromEntries(
      (options.keep ?? []).map((name) => [name, String(formData.get(name) ?? "")]),
    );
    // Files are the run's to read (formData.getAll); the schema sees the text fields.
    const parsed = schema.safeParse(Object.fromEntries([...formData].filter(([, v]) => typeof v === "string")));
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "form");
        fieldErrors[field] ??= t(issue.message as Parameters<Translate>[0]);
      }
      return { ok: false, message: t("forms.fixErrors"), fieldErrors, values };
    }
    const result = await run(parsed.data, t, formData);
    return result.ok ? result : { ...result, values: { ...values, ...result.values } };
  };
}
