"use client";

import { useEffect, useRef } from "react";
import { LIST_ROW_ATTRIBUTE, listKeyStep, nextRow } from "@/lib/list-keys";

/**
 * `j` / `k` move the focus between the primary links of the rows it wraps (rows carry
 * `data-list-row`; the row's link marked `data-list-primary`, else its first link), and `Enter`
 * opens the focused one — the native link does that, so nothing here handles it. Ignored while
 * typing in a field and with modifier keys. With several lists on a page, the keys move in the one
 * holding the focus, or in the first when focus is in none. Without JavaScript the links still work.
 */
export function ListKeys({ children, className }: { children: React.ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const list = ref.current;
      const step = listKeyStep({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, shiftKey: event.shiftKey, target: document.activeElement as HTMLElement | null });
      if (!list || step === null) return;
      const active = document.activeElement;
      const holder = active instanceof Element ? active.closest("[data-list-keys]") : null;
      if (holder ? holder !== list : document.querySelector("[data-list-keys]") !== list) return;
      const links = [...list.querySelectorAll<HTMLElement>(`[${LIST_ROW_ATTRIBUTE}]`)]
        .map((row) => row.querySelector<HTMLAnchorElement>("a[data-list-primary]") ?? row.querySelector<HTMLAnchorElement>("a[href]"))
        .filter((link): link is HTMLAnchorElement => link !== null);
      const current = links.findIndex((link) => link === active || (active instanceof Node && link.closest(`[${LIST_ROW_ATTRIBUTE}]`)?.contains(active)));
      const next = nextRow(current, step, links.length);
      if (next < 0) return;
      event.preventDefault();
      links[next]!.focus();
      links[next]!.scrollIntoView({ block: "nearest", inline: "nearest" });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div ref={ref} data-list-keys="" className={className}>
      {children}
    </div>
  );
}

/** The line that tells people the keys exist (shown where a pointer is not the only way in). */
export function ListKeysHint({ children }: { children: React.ReactNode }) {
  return <p className="mt-2 hidden text-sm text-muted-foreground sm:block">{children}</p>;
}
