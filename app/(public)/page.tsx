import { BadgeCheck, Check, MessageSquareWarning, Search, ShieldOff, X } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

// Figures from the design brief's sources (a 2024 news report, Princeton 2021, US FCC estimate).
const FACTS = { reporter: { bound: 14, total: 25 }, princeton: { bound: 171, total: 259 }, usYearly: 35_000_000 };
const PAGE_UPDATED = new Date("2026-11-28T00:00:00+08:00");

const SIGNS = ["debt", "rides", "register", "codes", "notices"] as const;
const STEPS = [
  { key: "verify", icon: BadgeCheck },
  { key: "check", icon: Search },
  { key: "act", icon: ShieldOff },
] as const;

export default async function LandingPage() {
  const t = await getTranslations("landing");
  const format = await getFormatter();

  return (
    <main id="main" className="flex-1">
      <section className="bg-surface">
        <div className="mx-auto max-w-5xl px-4 py-12 sm:px-6 sm:py-20">
          <p className="text-sm font-semibold text-primary">{t("eyebrow")}</p>
          <h1 className="mt-3 max-w-3xl text-3xl font-bold leading-tight tracking-tight sm:text-5xl">{t("title")}</h1>
          <p className="mt-5 max-w-2xl text-lg text-muted-foreground">{t("lead")}</p>
          <div className="mt-8 flex flex-col gap-3 sm:flex-row sm:items-center">
            <Link
              href="/login"
              className="inline-flex min-h-12 items-center justify-center rounded-md bg-primary px-6 text-base font-semibold text-primary-foreground no-underline hover:bg-primary-hover"
            >
              {t("ctaStart")}
            </Link>
            <a
              href="#how-it-works"
              className="inline-flex min-h-12 items-center justify-center rounded-md border border-border bg-background px-6 text-base font-semibold text-primary no-underline hover:bg-accent-soft"
            >
              {t("ctaPrimary")}
            </a>
          </div>
          <p className="mt-3 text-sm text-muted-foreground">{t("ctaNote")}</p>
        </div>
      </section>

      <section aria-labelledby="signs-title" className="mx-auto max-w-5xl px-4 py-12 sm:px-6">
        <h2 id="signs-title" className="text-2xl font-bold">{t("signsTitle")}</h2>
        <ul className="mt-6 grid gap-3 sm:grid-cols-2">
          {SIGNS.map((sign) => (
            <li key={sign} className="flex gap-3 rounded-lg border border-border p-4">
              <MessageSquareWarning aria-hidden className="mt-0.5 size-5 shrink-0 text-warning" />
              <span>{t(`signs.${sign}`)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section id="how-it-works" aria-labelledby="steps-title" className="scroll-mt-4 bg-surface">
        <div className="mx-auto max-w-5xl px-4 py-12 sm:px-6">
          <h2 id="steps-title" className="text-2xl font-bold">{t("stepsTitle")}</h2>
          <ol className="mt-6 grid gap-4 md:grid-cols-3">
            {STEPS.map(({ key, icon: Icon }, index) => (
              <li key={key} className="flex flex-col rounded-lg border border-border bg-background p-5">
                <div className="flex items-center gap-3">
                  <span className="flex size-10 items-center justify-center rounded-full bg-accent-soft text-primary">
                    <Icon aria-hidden className="size-5" />
                  </span>
                  <span className="text-sm font-semibold text-muted-foreground">{t("stepLabel", { number: index + 1 })}</span>
                </div>
                <h3 className="mt-4 text-lg font-semibold">{t(`steps.${key}.title`)}</h3>
                <p className="mt-2 text-muted-foreground">{t(`steps.${key}.body`)}</p>
              </li>
            ))}
          </ol>
        </div>
      </section>

      <section aria-labelledby="facts-title" className="mx-auto max-w-5xl px-4 py-12 sm:px-6">
        <h2 id="facts-title" className="text-2xl font-bold">{t("factsTitle")}</h2>
        <ul className="mt-6 grid gap-4 md:grid-cols-3">
          <Fact figure={`${format.number(FACTS.reporter.bound)}/${format.number(FACTS.reporter.total)}`}>
            {t("facts.reporter", { bound: format.number(FACTS.reporter.bound), total: format.number(FACTS.reporter.total) })}
          </Fact>
          <Fact figure={format.number(FACTS.princeton.bound / FACTS.princeton.total, { style: "percent" })}>
            {t("facts.princeton", { bound: format.number(FACTS.princeton.bound), total: format.number(FACTS.princeton.total) })}
          </Fact>
          <Fact figure={format.number(FACTS.usYearly, { notation: "compact" })}>
            {t("facts.us", { count: format.number(FACTS.usYearly, { notation: "compact" }) })}
          </Fact>
        </ul>
      </section>

      <section aria-labelledby="promise-title" className="bg-surface">
        <div className="mx-auto max-w-5xl px-4 py-12 sm:px-6">
          <h2 id="promise-title" className="text-2xl font-bold">{t("promiseTitle")}</h2>
          <div className="mt-6 grid gap-4 md:grid-cols-2">
            <PromiseList title={t("will.title")} items={[t("will.minimum"), t("will.consent"), t("will.track")]} positive />
            <PromiseList title={t("wont.title")} items={[t("wont.reveal"), t("wont.delete"), t("wont.sell")]} />
          </div>
          <h2 className="mt-12 text-2xl font-bold">{t("whoTitle")}</h2>
          <p className="mt-3 max-w-3xl text-muted-foreground">{t("who")}</p>
          <p className="mt-8 text-sm text-muted-foreground">
            {t("updated", { date: format.dateTime(PAGE_UPDATED, "day") })}
          </p>
        </div>
      </section>
    </main>
  );
}

function Fact({ figure, children }: { figure: string; children: React.ReactNode }) {
  return (
    <li className="rounded-lg border border-border p-5">
      <p className="text-3xl font-bold text-primary">{figure}</p>
      <p className="mt-2 text-muted-foreground">{children}</p>
    </li>
  );
}

function PromiseList({ title, items, positive = false }: { title: string; items: string[]; positive?: boolean }) {
  const Icon = positive ? Check : X;
  return (
    <div className="rounded-lg border border-border bg-background p-5">
      <h3 className="text-lg font-semibold">{title}</h3>
      <ul className="mt-3 space-y-3">
        {items.map((item) => (
          <li key={item} className="flex gap-3">
            <Icon aria-hidden className={positive ? "mt-1 size-5 shrink-0 text-success" : "mt-1 size-5 shrink-0 text-danger"} />
            <span>{item}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
