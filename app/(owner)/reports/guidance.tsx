import { ExternalLink, Scale } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { CopyButton } from "./copy-button";

/** What the law says and what the owner does not owe anyone: shown with every report. */
export async function GuidanceShort() {
  const t = await getTranslations("reports.guidance");
  return (
    <section aria-labelledby="guidance-title" className="mt-10 rounded-lg border border-border bg-surface p-5">
      <h2 id="guidance-title" className="flex items-center gap-2 text-lg font-semibold">
        <Scale aria-hidden className="size-5 text-primary" />
        {t("title")}
      </h2>
      <ul className="mt-3 flex list-disc flex-col gap-2 pl-5">
        <li>{t("thirdParty")}</li>
        <li>{t("privacy")}</li>
        <li>{t("oweNothing")}</li>
        <li>{t("safety")}</li>
      </ul>
    </section>
  );
}

/** The same, plus a ready-made 12321 report the owner can copy or send as an SMS. */
export async function GuidanceWith12321({ text }: { text: string }) {
  const t = await getTranslations("reports.guidance");
  return (
    <>
      <GuidanceShort />
      <section aria-labelledby="r12321-title" className="mt-6 rounded-lg border border-border p-5">
        <h2 id="r12321-title" className="text-lg font-semibold">
          {t("r12321Title")}
        </h2>
        <p className="mt-2">{t("r12321Body")}</p>
        <p id="r12321-text" lang="zh-CN" className="mt-3 rounded-md bg-muted p-3 text-sm break-words whitespace-pre-wrap" data-testid="report-12321-text">
          {text}
        </p>
        <div className="mt-3 flex flex-wrap gap-3">
          <CopyButton text={text} label={t("copy")} copied={t("copied")} />
          <a
            href={`sms:12321?&body=${encodeURIComponent(text)}`}
            className="inline-flex min-h-11 items-center gap-2 rounded-md border border-input px-4 font-medium text-primary hover:bg-muted"
          >
            {t("sendSms")}
          </a>
          <a
            href="https://www.12321.cn/"
            target="_blank"
            rel="noreferrer noopener"
            className="inline-flex min-h-11 items-center gap-2 rounded-md px-2 font-medium text-primary underline-offset-4 hover:underline"
          >
            {t("website")}
            <ExternalLink aria-hidden className="size-4" />
          </a>
        </div>
      </section>
    </>
  );
}
