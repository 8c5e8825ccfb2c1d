"use client";

import { ChevronDown, LogOut, Menu } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef } from "react";
import { cn } from "@/lib/utils";

export interface OwnerNavItem {
  href: string;
  label: string;
}

/**
 * The owner's way around (GOV.UK "Service navigation"): a row of links from a tablet up, a "Menu"
 * disclosure on a phone. `<details>` opens and closes without JavaScript and is announced as a
 * button that expands; with JavaScript, Escape closes it and a page change starts it closed. The
 * page being shown is `aria-current="page"`; a page inside a section (a report of "my reports")
 * marks its section with `aria-current="true"`, shown the same way (an underline, not a colour).
 */
export function OwnerNav({ label, menu, items, signOut }: { label: string; menu: string; items: OwnerNavItem[]; signOut: OwnerNavItem }) {
  const pathname = usePathname();
  const details = useRef<HTMLDetailsElement>(null);
  // The deepest item that holds the page is current: /me/data is "my data", not also "my number".
  const holder = [...items, signOut]
    .filter((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  const current = (href: string) => (href !== holder ? undefined : pathname === href ? ("page" as const) : ("true" as const));
  const links = (className: string) =>
    [...items, signOut].map((item) => {
      const isSignOut = item === signOut;
      // "Cancel" on the sign-out step comes back to the page the owner left (checked there).
      const href = isSignOut && pathname !== item.href ? `${item.href}?from=${encodeURIComponent(pathname)}` : item.href;
      return (
        <li key={item.href} className={cn(isSignOut && "md:ml-auto")}>
          <Link
            href={href}
            aria-current={current(item.href)}
            className={cn(
              className,
              "flex min-h-11 items-center gap-2 rounded-md px-3 font-medium text-primary no-underline hover:bg-accent-soft hover:underline",
              current(item.href) && "text-foreground underline decoration-2 underline-offset-8",
            )}
          >
            {isSignOut ? <LogOut aria-hidden className="size-4" /> : null}
            {item.label}
          </Link>
        </li>
      );
    });

  return (
    <nav aria-label={label} className="border-t border-border bg-surface">
      <div className="mx-auto max-w-5xl px-4 sm:px-6">
        <ul className="-mx-3 hidden flex-wrap items-center gap-x-2 py-1 text-sm md:flex">{links("")}</ul>
        <details
          key={pathname}
          ref={details}
          className="group md:hidden"
          onKeyDown={(event) => {
            if (event.key !== "Escape" || !details.current?.open) return;
            details.current.open = false;
            details.current.querySelector("summary")?.focus();
          }}
        >
          <summary className="flex min-h-11 w-fit cursor-pointer list-none items-center gap-2 rounded-md px-1 font-medium text-primary [&::-webkit-details-marker]:hidden">
            <Menu aria-hidden className="size-5" />
            {menu}
            <ChevronDown aria-hidden className="size-4 transition-transform group-open:rotate-180" />
          </summary>
          <ul className="flex flex-col gap-1 border-t border-border py-2">{links("w-full")}</ul>
        </details>
      </div>
    </nav>
  );
}
