/**
 * Shows enough of a number to recognise it, never the whole: +8613800138000 → 138****8000.
 * Mainland numbers drop the +86; others keep their country code.
 */
export function maskNumber(e164: string): string {
  const digits = e164.replace(/^\+/, "");
  if (digits.startsWith("86") && digits.length === 13) {
    const national = digits.slice(2);
    return `${national.slice(0, 3)}****${national.slice(-4)}`;
  }
  if (digits.length < 8) return `+${"*".repeat(digits.length)}`;
  return `+${digits.slice(0, 2)}${"*".repeat(digits.length - 6)}${digits.slice(-4)}`;
}
