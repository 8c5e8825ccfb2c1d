"use client";

import * as React from "react";
import { Toast as ToastPrimitive } from "radix-ui";
import { cva, type VariantProps } from "class-variance-authority";
import { AlertCircle, CheckCircle2, Info, X } from "lucide-react";

import { cn } from "@/lib/utils";

const ToastProvider = ToastPrimitive.Provider;

function ToastViewport({ className, ...props }: React.ComponentProps<typeof ToastPrimitive.Viewport>) {
  return (
    <ToastPrimitive.Viewport
      className={cn(
        "fixed inset-x-0 bottom-0 z-100 m-0 flex max-h-dvh w-full list-none flex-col gap-2 p-4 outline-none",
        "pb-[max(1rem,env(safe-area-inset-bottom))] sm:right-0 sm:left-auto sm:max-w-sm",
        className,
      )}
      {...props}
    />
  );
}

const toastVariants = cva(
  [
    "relative flex w-full items-start gap-3 rounded-lg border border-l-4 border-border bg-background p-4 pr-14 text-foreground shadow-lg",
    "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=cancel]:translate-x-0",
    "data-[swipe=end]:translate-x-(--radix-toast-swipe-end-x) motion-safe:data-[swipe=cancel]:transition-transform",
    "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-ring",
  ],
  {
    variants: {
      variant: {
        success: "border-l-success",
        error: "border-l-danger",
        info: "border-l-primary",
      },
    },
    defaultVariants: { variant: "info" },
  },
);

type ToastVariant = NonNullable<VariantProps<typeof toastVariants>["variant"]>;

type ToastProps = React.ComponentProps<typeof ToastPrimitive.Root> & VariantProps<typeof toastVariants>;

function Toast({ className, variant, type, ...props }: ToastProps) {
  return (
    <ToastPrimitive.Root
      // Errors interrupt screen readers (assertive); confirmations wait their turn (polite).
      type={type ?? (variant === "error" ? "foreground" : "background")}
      className={cn(toastVariants({ variant }), className)}
      {...props}
    />
  );
}

function ToastTitle({ className, ...props }: React.ComponentProps<typeof ToastPrimitive.Title>) {
  return <ToastPrimitive.Title className={cn("font-semibold", className)} {...props} />;
}

function ToastDescription({ className, ...props }: React.ComponentProps<typeof ToastPrimitive.Description>) {
  return <ToastPrimitive.Description className={cn("text-sm text-muted-foreground", className)} {...props} />;
}

type ToastCloseProps = React.ComponentProps<typeof ToastPrimitive.Close> & { label: string };

function ToastClose({ className, label, ...props }: ToastCloseProps) {
  return (
    <ToastPrimitive.Close
      aria-label={label}
      className={cn(
        "absolute top-1.5 right-1.5 inline-flex size-11 cursor-pointer items-center justify-center rounded-md text-muted-foreground",
        "hover:bg-muted hover:text-foreground focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-ring",
        className,
      )}
      {...props}
    >
      <X aria-hidden="true" className="size-5" />
    </ToastPrimitive.Close>
  );
}

/* A module-level store lets any client component (or plain event handler) raise a toast without a
   context provider above it; the single <Toaster /> subscribes via useSyncExternalStore. */

type ToastOptions = {
  title: React.ReactNode;
  description?: React.ReactNode;
  variant?: ToastVariant;
  duration?: number;
};

type ToastItem = ToastOptions & { id: number };

let toasts: ToastItem[] = [];
let nextId = 0;
const listeners = new Set<() => void>();
const noToasts: ToastItem[] = [];

function setToasts(next: ToastItem[]) {
  toasts = next;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function toast(options: ToastOptions) {
  nextId += 1;
  const id = nextId;
  setToasts([...toasts, { ...options, id }]);
  return id;
}

function dismissToast(id: number) {
  setToasts(toasts.filter((item) => item.id !== id));
}

function useToast() {
  const items = React.useSyncExternalStore(
    subscribe,
    () => toasts,
    () => noToasts,
  );
  return { toasts: items, toast, dismiss: dismissToast };
}

type ToasterProps = {
  /** aria-label of each toast's close button. */
  closeLabel: string;
  /** Announced before each toast so screen reader users know what interrupted them. */
  toastLabel: string;
  /** Name of the notifications landmark. */
  viewportLabel: string;
};

const variantIcons = {
  success: { Icon: CheckCircle2, className: "text-success" },
  error: { Icon: AlertCircle, className: "text-danger" },
  info: { Icon: Info, className: "text-primary" },
} satisfies Record<ToastVariant, { Icon: React.ElementType; className: string }>;

function Toaster({ closeLabel, toastLabel, viewportLabel }: ToasterProps) {
  const { toasts: items, dismiss } = useToast();
  return (
    <ToastProvider label={toastLabel}>
      {items.map(({ id, title, description, variant = "info", duration }) => {
        const { Icon, className } = variantIcons[variant];
        return (
          <Toast
            key={id}
            variant={variant}
            duration={duration}
            onOpenChange={(open) => {
              if (!open) dismiss(id);
            }}
          >
            {/* Icon shape carries the status too, so it is not conveyed by colour alone. */}
            <Icon aria-hidden="true" className={cn("mt-0.5 size-5 shrink-0", className)} />
            <div className="flex min-w-0 flex-col gap-1">
              <ToastTitle>{title}</ToastTitle>
              {description ? <ToastDescription>{description}</ToastDescription> : null}
            </div>
            <ToastClose label={closeLabel} />
          </Toast>
        );
      })}
      <ToastViewport label={viewportLabel} />
    </ToastProvider>
  );
}

export {
  ToastProvider,
  ToastViewport,
  Toast,
  ToastTitle,
  ToastDescription,
  ToastClose,
  Toaster,
  toast,
  useToast,
  toastVariants,
  type ToastProps,
  type ToastCloseProps,
  type ToastOptions,
  type ToastVariant,
  type ToasterProps,
};
