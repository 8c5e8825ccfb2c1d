/**
 * `npm run records:import -- file.csv` — imports a carrier's records (docs/carrier-records.md) into
 * the configured database (DATABASE_URL, else the PGlite dev database). Every bad row is listed on
 * stderr by row, column and reason (never its values: they are personal data); the good rows are
 * imported in one transaction; a summary line always goes to stdout. Exit code 1 when any row was
 * bad or the file could not be read, 0 otherwise. A progress bar is drawn on stderr when it is a
 * terminal.
 */
import { createReadStream } from "node:fs";
import { access, stat } from "node:fs/promises";
import { Transform, type Readable } from "node:stream";
import { closeDatabase, getDatabase, type Db } from "../db";
import { migrateDatabase } from "../db/migrate";
import { importCarrierRecords, type ImportResult } from "../lib/records/import";

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where the progress bar is drawn; absent: no bar (not a terminal). */
  tty?: { write: (text: string) => void; columns?: number };
  now?: () => Date;
}

const USAGE = "Usage: npm run records:import -- file.csv  (columns: number,carrier,event,date[,event_id])";

/** The command on an open database; returns the exit code. */
export async function recordsImport(db: Db, argv: string[], io: CliIo): Promise<number> {
  const files = argv.filter((a) => a !== "--");
  if (files.length !== 1 || files[0]!.startsWith("-")) {
    io.err(USAGE);
    return 2;
  }
  const file = files[0]!;
  try {
    await access(file);
  } catch {
    io.err(`records:import: cannot read ${file}`);
    return 2;
  }
  const bar = io.tty ? progressBar(io.tty) : undefined;
  let input: Readable = createReadStream(file);
  if (bar) {
    // Reading and checking come first (about a fifth of the time): the bar follows the bytes read.
    // A pass-through, not a "data" listener: that would let bytes flow before the parser is there.
    const { size } = await stat(file);
    let read = 0;
    input = input.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bar("reading", (read += chunk.length), size);
          done(null, chunk);
        },
      }),
    );
  }
  const result = await importCarrierRecords(db, input, { now: io.now?.() ?? new Date(), progress: bar && ((done, total) => bar("writing", done, total)) });
  if (io.tty) io.tty.write("\n");
  for (const p of result.problems) io.err(`${p.row ? `row ${p.row}` : "file"}${p.column ? `, ${p.column}` : ""}: ${p.reason}`);
  io.out(summary(result));
  return result.problems.length ? 1 : 0;
}

export function summary(r: ImportResult): string {
  const t = r.tenures;
  return (
    `records:import: ${r.rows} rows; ${r.imported} events imported, ${r.alreadyOnRecord} already on record, ${r.problems.length} problems` +
    ` (${new Set(r.problems.filter((p) => p.row > 1).map((p) => p.row)).size} rows not imported); tenures opened ${t.opened}, closed ${t.closed}, SIM changes ${t.simChanged}; review cases opened ${r.reviews}`
  );
}

function progressBar(tty: NonNullable<CliIo["tty"]>) {
  let last = "";
  return (phase: "reading" | "writing", done: number, total: number) => {
    const width = Math.max(10, Math.min(40, (tty.columns ?? 80) - 40));
    const filled = total ? Math.round((done / total) * width) : width;
    const line = `\r${phase} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${phase === "reading" ? `${Math.round((done / (total || 1)) * 100)}%` : `${done}/${total} events`}`;
    // Redrawn only when it changes: a terminal is slow to write to.
    if (line !== last) tty.write((last = line));
  };
}

async function main(): Promise<number> {
  const handle = await getDatabase();
  await migrateDatabase(handle);
  return recordsImport(handle.db, process.argv.slice(2), { out: console.log, err: console.error, tty: process.stderr.isTTY ? process.stderr : undefined });
}

if (process.argv[1]?.endsWith("records-import.ts")) {
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      // Database errors by code only: a message may quote a row.
      console.error("records:import failed:", (error as { code?: string }).code ?? (error instanceof Error ? error.name : "error"));
      process.exitCode = 1;
    })
    .finally(closeDatabase);
}
