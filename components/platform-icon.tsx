import { Bike, Car, Landmark, MessageCircle, ShoppingBag, Users, Wallet, Banknote, type LucideIcon, type LucideProps } from "lucide-react";
import type { PlatformCategory } from "@/db/enums";

export type { PlatformCategory };

/** Every category of db/enums.ts has an icon: a new category fails to compile until it gets one. */
const icons: Record<PlatformCategory, LucideIcon> = {
  messaging: MessageCircle,
  social: Users,
  ride_hailing: Car,
  e_commerce: ShoppingBag,
  payments: Wallet,
  lending: Banknote,
  food_delivery: Bike,
  government: Landmark,
};

/** One icon per platform category; platforms have no logos of their own in the sandbox. */
export function PlatformIcon({ category, ...props }: { category: PlatformCategory } & LucideProps) {
  const Icon = icons[category] ?? MessageCircle;
  return <Icon aria-hidden {...props} />;
}
