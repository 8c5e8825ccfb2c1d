/**
 * Small-cell suppression for every aggregate shown outside the service (the regulator's tables,
 * and any staff or public rollup to come): a count of 1 to MIN_CELL - 1 could single out a person,
 * so it is shown as "fewer than MIN_CELL" instead. Zero says nothing about anyone and is shown.
 */
export const MIN_CELL = 5;

export type Cell = { value: number } | { suppressed: true };

export function suppress(value: number): Cell {
  return value > 0 && value < MIN_CELL ? { suppressed: true } : { value };
}
