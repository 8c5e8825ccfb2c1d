import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PrintButton } from "@/components/print-button";

/**
 * The pieces both printable records share (app/(owner)/unbind/[id]/record, app/(owner)/reports/[id]/record):
 * a toolbar that stays off paper, the facts as a description list, a table of answers, and how
 * to use the record. Print rules live in app/globals.css.
 */

export async function RecordToolbar({ back, backLabel }: { back: string; backLabel: string }) {
  const t = await getTranslations("record");
  return (
    <div data-print="hide" className="flex flex-col gap-3">
      <Link href={back} className="inline-flex min-h-11 items-center self-start text-sm font-medium text-primary underline-offset-4 hover:underline">
        {backLabel}
      </Link>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-border bg-surface p-4">
        <PrintButton label={t("print")} />
        <p className="text-sm text-muted-foreground">{t("printHint")}</p>
      </div>
    </div>
  );
}

/** Term/value rows; each row stays on one page. */
export function RecordFacts({ rows, className }: { rows: [term: string, value: React.ReactNode][]; className?: string }) {
  return (
    <dl className={`grid gap-x-6 gap-y-2 sm:grid-cols-[minmax(10rem,auto)_1fr] ${className ?? ""}`}>
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="font-medium text-muted-foreground">{term}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The answers, oldest first: when, and what happened (with any reason or words of the platform). */
export async function AnswersTable({ caption, entries, testId }: { caption: string; entries: { at: Date; what: string; detail?: string | null }[]; testId?: string }) {
  const [t, format] = await Promise.all([getTranslations("record"), getFormatter()]);
  return (
    <table className="record-table mt-3 w-full border-collapse text-sm" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-border text-left">
          <th scope="col" className="w-2/5 py-2 pr-3 font-semibold">
            {t("when")}
          </th>
          <th scope="col" className="py-2 font-semibold">
            {t("what")}
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e, index) => (
          <tr key={index} className="border-b border-border align-top last:border-0">
            <td className="py-2 pr-3">
              <time dateTime={e.at.toISOString()}>{format.dateTime(e.at, "moment")}</time>
            </td>
            <td className="py-2">
              {e.what}
              {e.detail ? <span className="mt-1 block text-muted-foreground">{e.detail}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where the record helps: the carrier first, then 12300 for telecom complaints, 12321 for spam. */
export async function RecordUse({ generatedAt }: { generatedAt: Date }) {
  const [t, format] = await Promise.all([getTranslations("record"), getFormatter()]);
  return (
    <>
      <section aria-labelledby="record-use-title" className="record-block mt-8 rounded-lg border border-border p-5">
        <h2 id="record-use-title" className="text-lg font-semibold">
          {t("useTitle")}
        </h2>
        <p className="mt-2">{t("useIntro")}</p>
        <ul className="mt-3 flex list-disc flex-col gap-2 pl-5">
          <li>{t("useCarrier")}</li>
          <li>{t("use12300")}</li>
          <li>
            {t("use12321")}{" "}
            <a href="https://www.12321.cn/" data-print-url="no" className="text-primary underline">
              www.12321.cn
            </a>
          </li>
        </ul>
      </section>
      <p className="mt-6 text-sm text-muted-foreground" data-testid="record-generated">
        {t("generatedAt", { date: format.dateTime(generatedAt, "moment") })}
      </p>
    </>
  );
}
