import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { authSecret } from "@/lib/auth/secret";
import { signInOwner } from "@/lib/auth/owner";
import { sessionStillValid } from "@/lib/auth/sessions";
import { completeStaffSignIn } from "@/lib/auth/staff";
import { readPendingToken } from "@/lib/auth/staff-pending";
import { clientAddress, trustedProxyHops } from "@/lib/client-ip";
import { deviceFromCookieHeader } from "@/lib/otp/device-id";
import { appClock } from "@/lib/clock";
import { normaliseCode } from "@/lib/otp/code";
import { signInCodeRefusal } from "@/lib/otp/refusal";
import { verifyCode } from "@/lib/otp/service";
import { AppError, logServerError } from "@/lib/errors";
import { authConfig } from "./auth.config";

// The password step has no provider of its own: it only issues the pending token (app/(auth)/staff/
// login/actions.ts). A staff session is made here, after the second factor.
const staffTotpCredentials = z.object({ pending: z.string().min(1).max(2000), code: z.string().max(40).optional() });

/** Carries why a code was refused, as the AppError the sign-in action shows, out of Auth.js. */
export class OtpSignInError extends CredentialsSignin {
  constructor(readonly refusal: AppError) {
    super(refusal.code);
    this.code = refusal.code;
  }
}

const otpCredentials = z.object({ challengeId: z.uuid(), code: z.string().transform(normaliseCode).pipe(z.string().regex(/^\d{6}$/)) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  callbacks: {
    ...authConfig.callbacks,
    /**
     * The edge-safe checks (claims, absolute limit), then the database: a revoked session id or a
     * stale session version (sign out everywhere, staff status or role change) ends the session on
     * this request. Returning null makes Auth.js clear the cookie and treat the visitor as signed out.
     */
    async jwt(params) {
      const token = await authConfig.callbacks.jwt(params);
      if (!token || params.user) return token;
      if (!token.sub || !token.role) return null;
      const { handle } = await prepareDatabase();
      const valid = await sessionStillValid(handle.db, {
        role: token.role,
        userId: token.sub,
        sessionId: token.sid,
        version: token.sv,
        now: appClock().now(),
      });
      return valid ? token : null;
    },
  },
  logger: {
    // A wrong password or code is an expected answer, not a server error (the audit log and the
    // limits record it). Other errors go through logServerError: a database error inside
    // authorize (Auth.js wraps it as the cause) by its code only, never with the query's values.
    error(error) {
      if (!(error instanceof CredentialsSignin)) logServerError("auth", (error as { cause?: { err?: unknown } }).cause?.err ?? error);
    },
  },
  providers: [
    Credentials({
      id: "staff-totp",
      credentials: { pending: {}, code: {} },
      async authorize(raw) {
        const parsed = staffTotpCredentials.safeParse(raw);
        const now = appClock().now();
        const pending = parsed.success ? await readPendingToken(parsed.data.pending, authSecret(), now) : null;
        if (!parsed.success || !pending) throw new OtpSignInError(new AppError("expired:staff_sign_in", { status: 401 }));
        const { handle } = await prepareDatabase();
        try {
          return await completeStaffSignIn(handle.db, pending, parsed.data.code, { secret: authSecret(), now });
        } catch (error) {
          if (error instanceof AppError) throw new OtpSignInError(error);
          throw error;
        }
      },
    }),
    Credentials({
      id: "sms-otp",
      credentials: { challengeId: {}, code: {} },
      async authorize(raw, request) {
        const parsed = otpCredentials.safeParse(raw);
        if (!parsed.success) throw new OtpSignInError(new AppError("invalid:code", { field: "code" }));
        const { handle } = await prepareDatabase();
        // Wrong codes count against this browser (or address), not the number (lib/otp/service.ts).
        const source = { ip: clientAddress(request.headers, trustedProxyHops()), device: deviceFromCookieHeader(request.headers.get("cookie")) };
        const result = await verifyCode(
          { db: handle.db, clock: appClock(), secret: authSecret() },
          { ...parsed.data, purpose: "sign_in", source },
        );
        if (!result.ok) throw new OtpSignInError(signInCodeRefusal(result, "code"));
        const owner = await signInOwner(handle.db, result);
        return {
          id: owner.id,
          role: "owner",
          number: owner.number,
          otpVerifiedAt: result.verifiedAt.toISOString(),
          sessionVersion: owner.sessionVersion,
        };
      },
    }),
  ],
}));
