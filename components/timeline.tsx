import { getFormatter } from "next-intl/server";
import { cn } from "@/lib/utils";

/** A folded history: when each step happened and what it was, oldest first. */
export async function Timeline({ title, entries, className, testId }: { title: string; entries: { at: Date; label: string }[]; className?: string; testId?: string }) {
  const format = await getFormatter();
  return (
    <details className={cn("text-sm text-muted-foreground", className)}>
      <summary className="inline-flex min-h-11 cursor-pointer items-center">{title}</summary>
      <ol className="mt-1 flex flex-col gap-1 border-l-2 border-border pl-3" data-testid={testId}>
        {entries.map((e, index) => (
          <li key={index}>
            <time dateTime={e.at.toISOString()}>{format.dateTime(e.at, "moment")}</time> · {e.label}
          </li>
        ))}
      </ol>
    </details>
  );
}
