/**
 * A reference short enough to read out over the phone to a carrier's customer service or to
 * 12300: a prefix for what it is and the first eight hex digits of the id, in two groups
 * (`UB-3F2A-9C1D`). Eight digits are plenty among one owner's records; the full id is printed
 * beside it for anyone who has to find the row.
 */
export function shortReference(prefix: "UB" | "RP", id: string): string {
  const hex = id.replace(/-/g, "").slice(0, 8).toUpperCase();
  return `${prefix}-${hex.slice(0, 4)}-${hex.slice(4)}`;
}
