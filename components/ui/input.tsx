import * as React from "react";

import { cn } from "@/lib/utils";

function Input({ className, type = "text", ...props }: React.ComponentProps<"input">) {
  return (
    <input
      type={type}
      className={cn(
        // text-base (16px) stops iOS Safari from zooming in on focus.
        "block min-h-11 w-full rounded-md border border-input bg-background px-3 py-2 text-base text-foreground",
        "placeholder:text-muted-foreground",
        "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-ring",
        "disabled:cursor-not-allowed disabled:bg-muted disabled:opacity-70",
        "aria-invalid:border-danger aria-invalid:ring-1 aria-invalid:ring-danger",
        "file:mr-3 file:border-0 file:bg-transparent file:font-medium file:text-foreground",
        className,
      )}
      {...props}
    />
  );
}

export { Input };
