"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

/**
 * A staff console's own sections (the agent console: home, number search, the audit log for
 * supervisors). The deepest item holding the page is current, marked with `aria-current` and an
 * underline, not colour alone. A row that scrolls sideways on a phone rather than wrapping.
 */
export function ConsoleNav({ label, items }: { label: string; items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  const holder = items
    .filter((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label={label} className="border-b border-border bg-surface">
      <ul className="mx-auto flex max-w-5xl gap-x-2 overflow-x-auto px-4 text-sm sm:px-6">
        {items.map((item) => (
          <li key={item.href} className="shrink-0">
            <Link
              href={item.href}
              aria-current={item.href === holder ? (pathname === item.href ? "page" : "true") : undefined}
              className={cn(
                "flex min-h-11 items-center rounded-md px-3 font-medium text-primary no-underline hover:bg-accent-soft hover:underline",
                item.href === holder && "text-foreground underline decoration-2 underline-offset-8",
              )}
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
