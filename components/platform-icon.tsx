import { Bike, Car, Landmark, MessageCircle, ShoppingBag, Users, Wallet, Banknote, type LucideProps } from "lucide-react";

const icons = {
  messaging: MessageCircle,
  social: Users,
  ride_hailing: Car,
  e_commerce: ShoppingBag,
  payments: Wallet,
  lending: Banknote,
  food_delivery: Bike,
  government: Landmark,
} as const;

export type PlatformCategory = keyof typeof icons;

/** One icon per platform category; platforms have no logos of their own in the sandbox. */
export function PlatformIcon({ category, ...props }: { category: PlatformCategory } & LucideProps) {
  const Icon = icons[category] ?? MessageCircle;
  return <Icon aria-hidden {...props} />;
}
