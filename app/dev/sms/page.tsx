import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { prepareDatabase } from "@/db/startup";
import { currentDeviceId } from "@/lib/otp/device-cookie";
import { devSmsActive, devSmsShowsAll } from "@/lib/sms";
import { readOutbox } from "@/lib/sms/dev";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("devSms"))("title"), robots: { index: false } };
}

/** Development only: what the dev SMS provider "sent". Answers 404 with any real provider. */
export default async function DevSmsPage() {
  if (!devSmsActive()) notFound();
  const [t, format, { handle }] = await Promise.all([getTranslations("devSms"), getFormatter(), prepareDatabase()]);
  // A public sandbox shows a visitor only the codes their own browser asked for.
  const messages = await readOutbox(handle.db, undefined, 50, devSmsShowsAll() ? undefined : ((await currentDeviceId()) ?? null));
  return (
    <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 text-muted-foreground">{t("intro")}</p>
      <Table className="mt-6" regionLabel={t("title")}>
        <TableHeader>
          <TableRow>
            <TableHead>{t("at")}</TableHead>
            <TableHead>{t("to")}</TableHead>
            <TableHead>{t("body")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {messages.length === 0 ? (
            <TableRow>
              <TableCell colSpan={3}>{t("empty")}</TableCell>
            </TableRow>
          ) : (
            messages.map((m) => (
              <TableRow key={m.id}>
                <TableCell className="whitespace-nowrap">{format.dateTime(m.createdAt, "moment")}</TableCell>
                <TableCell className="font-mono whitespace-nowrap">{m.to}</TableCell>
                <TableCell className="whitespace-pre-line">{m.body}</TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </main>
  );
}
