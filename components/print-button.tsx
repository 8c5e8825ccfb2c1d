"use client";

import { Printer } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * Opens the browser's print dialog, where "Save as PDF" makes the file an owner can send on.
 * Hidden on paper itself (`data-print="hide"`, app/globals.css).
 */
export function PrintButton({ label }: { label: string }) {
  return (
    <Button type="button" variant="secondary" data-print="hide" onClick={() => window.print()}>
      <Printer aria-hidden />
      {label}
    </Button>
  );
}
