import { describe, expect, it } from "vitest";
import { carrierScoped, homeFor, STAFF_AREAS, staffRoles } from "./roles";

describe("the role → area policy", () => {
  it("sends every staff role home to an area that admits it", () => {
    for (const role of staffRoles) {
      const home = Object.values(STAFF_AREAS).find((area) => area.path === homeFor(role));
      expect({ role, admitted: (home?.roles as readonly string[] | undefined)?.includes(role) }).toEqual({ role, admitted: true });
    }
    expect(homeFor("owner")).toBe("/");
  });

  it("admits agents and supervisors to the agent console only, regulators to the regulator view only, admins to both", () => {
    expect(STAFF_AREAS.agent.roles).toEqual(["agent", "supervisor", "admin"]);
    expect(STAFF_AREAS.regulator.roles).toEqual(["regulator", "admin"]);
    expect(homeFor("supervisor")).toBe("/agent");
  });

  it("scopes agents and supervisors to one carrier, and nobody else", () => {
    expect(staffRoles.filter(carrierScoped)).toEqual(["agent", "supervisor"]);
  });
});
