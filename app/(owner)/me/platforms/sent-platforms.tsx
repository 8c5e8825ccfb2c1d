import { Send } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";

/**
 * The platforms that already received the number in this tenure, and since when: withdrawing the
 * consent stops what comes next, it does not recall what was sent (PIPL art. 15).
 */
export async function SentPlatforms({ sent, intro }: { sent: { id: string; label: string; since: Date }[]; intro: "note" | "after" }) {
  if (sent.length === 0) return null;
  const [t, format] = await Promise.all([getTranslations("lookup.sent"), getFormatter()]);
  const list = (
    <ul className="mt-3 grid gap-x-6 gap-y-2 sm:grid-cols-2">
      {sent.map((p) => (
        <li key={p.id} className="flex items-start gap-2">
          <Send aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
          <span>
            {p.label}
            <span className="block text-muted-foreground">{t("since", { date: format.dateTime(p.since, "day") })}</span>
          </span>
        </li>
      ))}
    </ul>
  );
  return (
    <section aria-labelledby="sent-title" className="rounded-lg border border-border bg-surface p-4 text-sm text-foreground">
      <h3 id="sent-title" className="font-semibold">
        {t("title")}
      </h3>
      <p className="mt-1">{t(intro)}</p>
      {intro === "note" ? (
        // Beside the withdraw button, folded: the note is what matters before withdrawing.
        <details className="mt-2">
          <summary className="min-h-11 cursor-pointer py-2.5 font-medium text-primary">{t("show", { count: sent.length })}</summary>
          {list}
        </details>
      ) : (
        list
      )}
    </section>
  );
}
