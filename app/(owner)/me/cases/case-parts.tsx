import { CheckCircle2, CircleSlash, Clock, Hourglass, MessageCircleQuestion, Wrench, type LucideIcon } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { CaseKind, CaseStatus } from "@/db/enums";
import type { Db } from "@/db";
import { platformLabeler } from "@/lib/platforms/labels";
import { platformsById } from "@/lib/platforms/queries";

/** A case's status in words with an icon (never colour alone). */
const STATUS_LOOK: Record<CaseStatus, { icon: LucideIcon; variant: NonNullable<BadgeProps["variant"]> }> = {
  open: { icon: Clock, variant: "info" },
  in_progress: { icon: Wrench, variant: "info" },
  waiting_platform: { icon: Hourglass, variant: "neutral" },
  waiting_owner: { icon: MessageCircleQuestion, variant: "warning" },
  resolved: { icon: CheckCircle2, variant: "success" },
  closed: { icon: CircleSlash, variant: "neutral" },
};

export async function CaseStatusBadge({ status, className }: { status: CaseStatus; className?: string }) {
  const t = await getTranslations("ownerCases");
  const { icon: Icon, variant } = STATUS_LOOK[status];
  return (
    <Badge variant={variant} className={className} data-status={status}>
      <Icon aria-hidden />
      {t(`status.${status}`)}
    </Badge>
  );
}

/**
 * What a case is about, in the owner's words ("Your request to … could not be delivered"). The
 * platform is labelled as everywhere its relation to the number shows (a category-only platform
 * by its category).
 */
export async function caseTitles(db: Db, cases: { kind: CaseKind; platformId: string | null }[]): Promise<(c: { kind: CaseKind; platformId: string | null }) => string> {
  const [t, label, list] = await Promise.all([
    getTranslations("ownerCases"),
    platformLabeler(db),
    platformsById(db, [...new Set(cases.map((c) => c.platformId).filter((id): id is string => id !== null))]),
  ]);
  const labels = new Map(list.map((p) => [p.id, label(p).label]));
  return (c) => t(`kind.${c.kind}`, { platform: (c.platformId && labels.get(c.platformId)) || t("aPlatform") });
}
