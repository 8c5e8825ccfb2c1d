/** Sign-in pages: one narrow column, one task. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return <main id="main" className="mx-auto w-full max-w-md flex-1 px-4 py-10 sm:py-16">{children}</main>;
}
