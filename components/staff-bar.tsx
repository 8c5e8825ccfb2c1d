import { LogOut, UserRound } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import { staffSignOut } from "@/lib/auth/actions";
import type { StaffSession } from "@/lib/auth/guards";
import { staffDisplayName } from "@/lib/auth/staff-name";
import { Button } from "./ui/button";

/** Who is signed in to the staff console, and the way out. */
export async function StaffBar({ user, area }: { user: StaffSession; area: string }) {
  const [t, locale] = await Promise.all([getTranslations("staff"), getLocale()]);
  return (
    <div className="border-b border-border bg-surface">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-2 sm:px-6">
        <p className="flex items-center gap-2 text-sm">
          <UserRound aria-hidden className="size-4 text-muted-foreground" />
          <span className="font-semibold">{area}</span>
          <span className="text-muted-foreground">· {t("signedInAs", { name: staffDisplayName(user.name, locale) })}</span>
        </p>
        <form action={staffSignOut}>
          <Button type="submit" variant="ghost" size="sm">
            <LogOut aria-hidden className="size-4" />
            {t("signOut")}
          </Button>
        </form>
      </div>
    </div>
  );
}
