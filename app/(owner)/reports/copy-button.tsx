"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies a text; says so in a live region, so screen readers hear it too. */
export function CopyButton({ text, label, copied }: { text: string; label: string; copied: string }) {
  const [done, setDone] = useState(false);
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        onClick={() =>
          navigator.clipboard
            .writeText(text)
            .then(() => setDone(true))
            .catch(() => setDone(false))
        }
      >
        {done ? <Check aria-hidden /> : <Copy aria-hidden />}
        {label}
      </Button>
      <span aria-live="polite" className="sr-only">
        {done ? copied : ""}
      </span>
    </>
  );
}
