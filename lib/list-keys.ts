/**
 * The pure part of components/list-keys.tsx: which key moves where, and when a key is not ours.
 * Kept apart from the component so it is tested without a browser.
 */

/** The attribute a list's rows carry; the row's first link (or one marked `data-list-primary`) is what focus moves to. */
export const LIST_ROW_ATTRIBUTE = "data-list-row";

/** A row that shows it holds the keyboard's focus: a ring around the row, not colour alone. */
export const LIST_ROW_CLASS =
  "has-[a:focus-visible]:outline-3 has-[a:focus-visible]:-outline-offset-3 has-[a:focus-visible]:outline-ring has-[a:focus-visible]:bg-accent-soft";

/** What a key press looks like to the decision (a KeyboardEvent fits). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
  /** The element that has focus: typing there is never a shortcut. */
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

const TYPING = /^(INPUT|TEXTAREA|SELECT)$/;

/** 1 for `j` (next row), -1 for `k` (previous), null for anything else or while typing or with a modifier. */
export function listKeyStep(press: KeyPress): 1 | -1 | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.shiftKey) return null;
  if (press.target && (press.target.isContentEditable || TYPING.test(press.target.tagName ?? ""))) return null;
  if (press.key === "j") return 1;
  if (press.key === "k") return -1;
  return null;
}

/**
 * The row to focus: from none focused (`current` -1), `j` goes to the first row and `k` to the
 * last; otherwise one step, stopping at either end. -1 when the list is empty.
 */
export function nextRow(current: number, step: 1 | -1, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + step));
}
