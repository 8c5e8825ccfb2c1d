import { Inbox } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { Db } from "@/db";
import { env } from "@/lib/env";
import { ownerCases, type CaseOwner } from "@/lib/cases/owner";
import { CaseStatusBadge, caseTitles } from "./case-parts";
import { CaseMessageForm } from "./message-form";

/** The number page's two case sections: "contact customer service" and the owner's cases. */
export async function YourCases({ db, owner, carrierName }: { db: Db; owner: CaseOwner; carrierName: string }) {
  const [t, format, list] = await Promise.all([getTranslations("ownerCases"), getFormatter(), ownerCases(db, owner)]);
  const title = await caseTitles(db, list);
  return (
    <>
      <section aria-labelledby="contact-title" className="mt-10 rounded-lg border border-border p-5">
        <h2 id="contact-title" className="text-xl font-semibold">
          {t("contactTitle")}
        </h2>
        <p className="mt-2">{t("contactIntro", { carrier: carrierName })}</p>
        <p className="mt-2 text-muted-foreground">{t("whatNext", { hours: env().cases.firstResponseHours })}</p>
        <CaseMessageForm />
      </section>

      <section aria-labelledby="cases-title" className="mt-10">
        <h2 id="cases-title" className="text-xl font-semibold">
          {t("listTitle")}
        </h2>
        {list.length === 0 ? (
          <p className="mt-4 flex items-start gap-3 rounded-lg border border-border p-5 text-muted-foreground">
            <Inbox aria-hidden className="mt-0.5 size-5 shrink-0" />
            {t("listEmpty")}
          </p>
        ) : (
          <>
            <p className="mt-2 text-muted-foreground">{t("listIntro")}</p>
            <ul className="mt-4 flex flex-col gap-3" data-testid="owner-cases">
              {list.map((c) => (
                <li key={c.id} className="relative rounded-lg border border-border p-4 focus-within:bg-muted hover:bg-muted/60">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <Link href={`/me/cases/${c.id}`} className="inline-flex min-h-11 items-center font-semibold text-primary underline-offset-4 after:absolute after:inset-0 hover:underline">
                      {title(c)}
                    </Link>
                    <CaseStatusBadge status={c.status} className="whitespace-normal" />
                  </div>
                  <p className="mt-1 text-sm text-muted-foreground">
                    {t("opened", { date: format.dateTime(c.createdAt, "day") })} · {t("lastActivity", { date: format.dateTime(c.lastActivityAt, "moment") })}
                  </p>
                  {c.lastReply ? (
                    <figure className="mt-3 border-s-4 border-s-primary ps-3" data-testid="case-last-reply">
                      <figcaption className="text-sm font-medium">
                        {t("latestReply", { who: t("entry.signature", { carrier: carrierName }), date: format.dateTime(c.lastReply.at, "moment") })}
                      </figcaption>
                      <blockquote className="mt-1 line-clamp-3 whitespace-pre-line">{c.lastReply.text}</blockquote>
                      {c.status === "waiting_owner" ? <p className="mt-1 text-sm font-medium text-primary">{t("answerOnCase")}</p> : null}
                    </figure>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
