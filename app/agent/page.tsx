import type { Metadata } from "next";
import { areaMetadata } from "@/components/not-for-you";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { prepareDatabase } from "@/db/startup";
import { recordAudit } from "@/lib/audit";
import { requireArea } from "@/lib/auth/guards";
import { carrierById, listCarrierTenures } from "@/lib/carriers/queries";
import { maskNumber } from "@/lib/phone/mask";

export async function generateMetadata(): Promise<Metadata> {
  return areaMetadata("agent", async () => ({ title: (await getTranslations("agent"))("title") }));
}

export default async function AgentHome() {
  const user = await requireArea("agent");
  const [t, format, locale, { handle }] = await Promise.all([
    getTranslations(),
    getFormatter(),
    getLocale(),
    prepareDatabase(),
  ]);
  const db = handle.db;
  const carrier = user.carrierId ? await carrierById(db, user.carrierId) : null;
  const tenures = carrier ? await listCarrierTenures(db, carrier.id) : [];
  // Tenure records are owners' data: every staff read is audited, by id, without the numbers.
  await recordAudit(db, {
    actorType: "staff",
    actorId: user.id,
    action: "staff.read",
    subjectType: "carrier_tenures",
    subjectId: carrier?.id ?? null,
    metadata: { rows: tenures.length },
  });

  return (
    <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold">{t("agent.title")}</h1>
      <p className="mt-2 text-muted-foreground">
        {carrier ? t("agent.carrier", { carrier: locale === "en" ? carrier.nameEn : carrier.nameZh }) : t("agent.noCarrier")}
      </p>
      <h2 className="mt-8 text-xl font-semibold">{t("agent.tenuresTitle")}</h2>
      <Table className="mt-4" regionLabel={t("agent.tenuresTitle")}>
        <TableCaption>{t("agent.tenuresCaption")}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>{t("agent.number")}</TableHead>
            <TableHead>{t("agent.started")}</TableHead>
            <TableHead>{t("agent.ended")}</TableHead>
            <TableHead>{t("agent.source")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {tenures.length === 0 ? (
            <TableRow>
              <TableCell colSpan={4}>{t("agent.noTenures")}</TableCell>
            </TableRow>
          ) : (
            tenures.map((row) => (
              <TableRow key={row.id}>
                <TableCell className="font-mono">{maskNumber(row.number)}</TableCell>
                <TableCell>{format.dateTime(row.startedAt, "day")}</TableCell>
                <TableCell>{row.endedAt ? format.dateTime(row.endedAt, "day") : t("agent.current")}</TableCell>
                <TableCell>
                  <Badge variant={row.source === "self_declared" ? "warning" : "info"}>{t(`tenureSource.${row.source}`)}</Badge>
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </main>
  );
}
