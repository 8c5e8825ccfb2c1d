import { requireOwner } from "@/lib/auth/guards";

/** Everything under this group belongs to a signed-in number owner; pages check ownership again. */
export default async function OwnerLayout({ children }: { children: React.ReactNode }) {
  await requireOwner();
  return <>{children}</>;
}
