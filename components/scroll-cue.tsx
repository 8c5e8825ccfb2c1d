import { MoveHorizontal } from "lucide-react";

/** Tables scroll sideways on a phone: say so, in words and an icon, where the table starts. */
export function ScrollCue({ label }: { label: string }) {
  return (
    <p className="mt-3 flex items-center gap-1.5 text-sm text-muted-foreground sm:hidden">
      <MoveHorizontal aria-hidden="true" className="size-4 shrink-0" />
      {label}
    </p>
  );
}
