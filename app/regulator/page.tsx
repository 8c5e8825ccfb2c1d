import type { Metadata } from "next";
import { areaMetadata } from "@/components/not-for-you";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { prepareDatabase } from "@/db/startup";
import { requireArea } from "@/lib/auth/guards";
import { platformsByCategory, tenuresByCarrier } from "@/lib/stats/queries";
import { MIN_CELL, type Cell } from "@/lib/stats/suppression";

export async function generateMetadata(): Promise<Metadata> {
  return areaMetadata("regulator", async () => ({ title: (await getTranslations("regulator"))("title") }));
}

export default async function RegulatorHome() {
  await requireArea("regulator");
  const [t, format, locale, { handle }] = await Promise.all([getTranslations(), getFormatter(), getLocale(), prepareDatabase()]);
  const [tenures, registry] = await Promise.all([tenuresByCarrier(handle.db), platformsByCategory(handle.db)]);
  const cell = (c: Cell) => ("suppressed" in c ? t("regulator.suppressed", { min: MIN_CELL }) : format.number(c.value));

  return (
    <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold">{t("regulator.title")}</h1>
      <p className="mt-2 max-w-3xl text-muted-foreground">{t("regulator.intro", { min: MIN_CELL })}</p>

      <h2 className="mt-8 text-xl font-semibold">{t("regulator.registryTitle")}</h2>
      <Table className="mt-4" regionLabel={t("regulator.registryTitle")}>
        <TableCaption>{t("regulator.registryCaption")}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>{t("regulator.category")}</TableHead>
            <TableHead>{t("regulator.status")}</TableHead>
            <TableHead className="text-right">{t("regulator.count")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {registry.map((row) => (
            <TableRow key={`${row.category}-${row.status}`}>
              <TableCell>{t(`platformCategory.${row.category}`)}</TableCell>
              <TableCell>{t(`platformStatus.${row.status}`)}</TableCell>
              <TableCell className="text-right">{format.number(row.n)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <h2 className="mt-10 text-xl font-semibold">{t("regulator.tenuresTitle")}</h2>
      <Table className="mt-4" regionLabel={t("regulator.tenuresTitle")}>
        <TableCaption>{t("regulator.tenuresCaption")}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>{t("regulator.carrier")}</TableHead>
            <TableHead>{t("regulator.source")}</TableHead>
            <TableHead className="text-right">{t("regulator.count")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {tenures.map((row) => (
            <TableRow key={`${row.carrier}-${row.source}`}>
              <TableCell>{locale === "en" ? row.nameEn : row.nameZh}</TableCell>
              <TableCell>{t(`tenureSource.${row.source}`)}</TableCell>
              <TableCell className="text-right">{cell(row.n)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </main>
  );
}
