import { describe, expect, it } from "vitest";
import { MIN_CELL, suppress } from "./suppression";

describe("small-cell suppression", () => {
  it("hides every count from 1 to MIN_CELL - 1 and shows the rest", () => {
    expect(MIN_CELL).toBe(5);
    for (let n = 1; n < MIN_CELL; n++) expect(suppress(n)).toEqual({ suppressed: true });
    expect(suppress(MIN_CELL)).toEqual({ value: MIN_CELL });
    expect(suppress(1234)).toEqual({ value: 1234 });
  });

  it("shows zero: an empty cell singles out nobody", () => {
    expect(suppress(0)).toEqual({ value: 0 });
  });
});
