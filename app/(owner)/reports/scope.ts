import "server-only";
import { prepareDatabase } from "@/db/startup";
import { requireOwner } from "@/lib/auth/guards";
import type { OwnerScope } from "@/lib/reports/service";
import { openTenure } from "@/lib/tenure";

/**
 * The signed-in owner as reports see them: their current tenure. Every report page and action
 * starts here; `scope` is null when the number has no tenure on record (nothing to show or change).
 */
export async function ownerReportScope() {
  const owner = await requireOwner();
  const { handle } = await prepareDatabase();
  const tenure = await openTenure(handle.db, owner.number!);
  const scope: OwnerScope | null = tenure ? { ownerId: owner.id, tenureId: tenure.id } : null;
  return { owner, db: handle.db, scope };
}
