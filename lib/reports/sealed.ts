import { encryptText, decryptText } from "@/lib/security/encryption";

/** The parts of a report that are stored encrypted. */
export type ReportField = "text" | "sender" | "company" | `evidence:${string}`;

/** The associated data that binds a report's ciphertexts to its row and field. */
export const reportAad = (reportId: string, field: ReportField) => `report:${reportId}:${field}`;

/** Encrypts one field of a report (null stays null: nothing to keep). */
export function sealField(reportId: string, field: ReportField, value: string | null | undefined): string | null {
  return value ? encryptText(value, reportAad(reportId, field)) : null;
}

/** Decrypts one field of a report. */
export function openField(reportId: string, field: ReportField, sealed: string): string;
export function openField(reportId: string, field: ReportField, sealed: string | null): string | null;
export function openField(reportId: string, field: ReportField, sealed: string | null): string | null {
  return sealed === null ? null : decryptText(sealed, reportAad(reportId, field));
}
