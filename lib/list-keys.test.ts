import { describe, expect, it } from "vitest";
import { listKeyStep, nextRow, type KeyPress } from "./list-keys";

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: { tagName: "BODY" }, ...extra });

describe("list keys (lib/list-keys)", () => {
  it("j moves down, k moves up; other keys are not ours", () => {
    expect(listKeyStep(press("j"))).toBe(1);
    expect(listKeyStep(press("k"))).toBe(-1);
    for (const key of ["Enter", "/", "J", "ArrowDown", "x"]) expect(listKeyStep(press(key))).toBeNull();
    // A focused link (a row's own) still takes j and k.
    expect(listKeyStep(press("j", { target: { tagName: "A" } }))).toBe(1);
  });

  it("is ignored while typing in a field or with a modifier key", () => {
    for (const tagName of ["INPUT", "SELECT", "TEXTAREA"]) expect(listKeyStep(press("j", { target: { tagName } }))).toBeNull();
    expect(listKeyStep(press("j", { target: { tagName: "DIV", isContentEditable: true } }))).toBeNull();
    for (const mod of ["ctrlKey", "metaKey", "altKey", "shiftKey"] as const) expect(listKeyStep(press("k", { [mod]: true }))).toBeNull();
  });

  it("starts at the first row (j) or the last (k) and stops at the ends", () => {
    expect(nextRow(-1, 1, 3)).toBe(0);
    expect(nextRow(-1, -1, 3)).toBe(2);
    expect(nextRow(0, 1, 3)).toBe(1);
    expect(nextRow(2, 1, 3)).toBe(2);
    expect(nextRow(0, -1, 3)).toBe(0);
    expect(nextRow(-1, 1, 0)).toBe(-1);
  });
});
