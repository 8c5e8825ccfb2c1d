import * as React from "react";
import { Slot } from "radix-ui";
import { cva, type VariantProps } from "class-variance-authority";

import { cn } from "@/lib/utils";

const buttonVariants = cva(
  [
    "inline-flex cursor-pointer items-center justify-center gap-2 rounded-md text-center font-medium transition-colors",
    "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-ring",
    "disabled:pointer-events-none disabled:opacity-50",
    // asChild links cannot be `disabled`, so mirror the state from aria-disabled.
    "aria-disabled:pointer-events-none aria-disabled:opacity-50",
    "[&_svg]:pointer-events-none [&_svg]:size-5 [&_svg]:shrink-0",
  ],
  {
    variants: {
      variant: {
        primary: "bg-primary text-primary-foreground hover:bg-primary-hover",
        secondary: "border border-primary bg-background text-primary hover:bg-accent-soft",
        ghost: "text-foreground hover:bg-muted",
        danger: "bg-danger text-primary-foreground hover:bg-danger/90",
        link: "text-primary underline underline-offset-4 hover:text-primary-hover hover:decoration-2",
      },
      size: {
        // Every size keeps a 44px minimum height so touch targets stay usable on phones.
        default: "min-h-11 px-5 py-2 text-base",
        sm: "min-h-11 px-3 py-1.5 text-sm",
        lg: "min-h-12 px-6 py-3 text-lg",
        icon: "size-11 p-0",
      },
    },
    defaultVariants: { variant: "primary", size: "default" },
  },
);

type ButtonProps = React.ComponentProps<"button"> &
  VariantProps<typeof buttonVariants> & {
    asChild?: boolean;
  };

function Button({ className, variant, size, asChild = false, type, ...props }: ButtonProps) {
  const Comp = asChild ? Slot.Root : "button";
  return (
    <Comp
      // Default to "button" so buttons inside forms never submit by accident.
      type={asChild ? type : (type ?? "button")}
      className={cn(buttonVariants({ variant, size }), className)}
      {...props}
    />
  );
}

export { Button, buttonVariants, type ButtonProps };
