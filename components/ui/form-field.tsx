"use client";

import * as React from "react";
import { Slot } from "radix-ui";
import { AlertCircle } from "lucide-react";

import { cn } from "@/lib/utils";
import { Label } from "@/components/ui/label";

type FormFieldProps = {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: React.ReactNode;
  /** Exactly one control element (Input, select, textarea…); it receives id and ARIA wiring. */
  children: React.ReactElement;
  className?: string;
};

function FormField({ id, label, hint, error, children, className }: FormFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className={cn("flex flex-col gap-1.5", error && "border-l-4 border-danger pl-3", className)}>
      <Label htmlFor={id}>{label}</Label>
      {hint ? (
        <p id={hintId} className="text-sm text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {/* Error sits above the control (GOV.UK pattern) so a phone's on-screen keyboard cannot hide it. */}
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
      {/*
        Slot does the cloneElement for us and also unwraps the lazy elements React sends when a
        Server Component passes the control in; it appends to any aria-describedby the control has.
      */}
      <Slot.Root id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
        {children}
      </Slot.Root>
    </div>
  );
}

/** A field's error line (icon + message); controls laid out by hand reference it by `id`. */
function FieldError({ id, children, className }: { id: string; children: React.ReactNode; className?: string }) {
  return (
    <p id={id} className={cn("flex items-start gap-1.5 text-sm font-medium text-danger", className)}>
      <AlertCircle aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

type ErrorSummaryItem = { fieldId: string; message: React.ReactNode };

type ErrorSummaryProps = {
  title: React.ReactNode;
  errors: ErrorSummaryItem[];
  className?: string;
};

/**
 * Focuses itself on mount only (not on every errors change) so it never steals focus while the
 * user is typing; give it a new `key` per submission to re-announce.
 */
function ErrorSummary({ title, errors, className }: ErrorSummaryProps) {
  const ref = React.useRef<HTMLDivElement>(null);
  const titleId = React.useId();

  React.useEffect(() => {
    ref.current?.focus();
  }, []);

  if (errors.length === 0) return null;

  return (
    <div
      ref={ref}
      role="alert"
      tabIndex={-1}
      aria-labelledby={titleId}
      className={cn(
        "rounded-md border-4 border-danger bg-background p-4 text-foreground sm:p-6",
        "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-ring",
        className,
      )}
    >
      <h2 id={titleId} className="flex items-center gap-2 text-lg font-semibold">
        <AlertCircle aria-hidden="true" className="size-5 shrink-0 text-danger" />
        {title}
      </h2>
      <ul className="mt-3 flex flex-col gap-2">
        {errors.map((item) => (
          <li key={item.fieldId}>
            <a
              href={`#${item.fieldId}`}
              onClick={(event) => focusField(event, item.fieldId)}
              className="font-medium text-danger underline decoration-2 hover:decoration-4"
            >
              {item.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

// A plain #fragment jump scrolls the input under sticky headers and does not focus it; move focus
// to the control and bring its label into view instead.
function focusField(event: React.MouseEvent<HTMLAnchorElement>, fieldId: string) {
  const field = document.getElementById(fieldId);
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(fieldId)}"]`);
  (label ?? field).scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
}

export { FormField, FieldError, ErrorSummary, type FormFieldProps, type ErrorSummaryProps, type ErrorSummaryItem };
