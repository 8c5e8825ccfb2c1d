import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/lib/auth/roles";
import { pastAbsoluteLimit, SESSION_IDLE_SECONDS } from "@/lib/auth/session-policy";

declare module "next-auth" {
  interface User {
    role?: Role;
    carrierId?: string | null;
    number?: string;
    otpVerifiedAt?: string;
    /** The account's session version when it signed in (lib/auth/sessions.ts). */
    sessionVersion?: number;
  }
  interface Session {
    /** This session's id, so sign-out can revoke it (lib/auth/sessions.ts). */
    sessionId?: string;
    user: {
      id: string;
      name: string;
      role: Role;
      carrierId: string | null;
      /** Owners only: the number they proved they hold (E.164), and when. */
      number?: string;
      otpVerifiedAt?: string;
    };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    role?: Role;
    carrierId?: string | null;
    number?: string;
    otpVerifiedAt?: string;
    signedInAt?: number;
    /** Random id of this sign-in; signing out puts it on the revocation list. */
    sid?: string;
    /** The account's session version at sign-in; a bump ends every older session. */
    sv?: number;
  }
}

/** Provider-free part of the Auth.js set-up: sessions, pages and the claims carried in the JWT. */
export const authConfig = {
  pages: { signIn: "/login" },
  // Credentials providers need JWT sessions. maxAge is the idle limit: the proxy re-issues the
  // cookie on every page request, and the jwt callback enforces the absolute limit.
  session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS, updateAge: 0 },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.carrierId = user.carrierId ?? null;
        token.number = user.number;
        token.otpVerifiedAt = user.otpVerifiedAt;
        token.signedInAt = Date.now();
        // Checked against the database on every request by the full config (auth.ts).
        token.sid = crypto.randomUUID();
        token.sv = user.sessionVersion ?? 0;
      }
      if (pastAbsoluteLimit(token.signedInAt, Date.now())) return null;
      return token;
    },
    session({ session, token }) {
      if (token.sub && token.role) {
        session.sessionId = token.sid;
        session.user = {
          ...session.user,
          id: token.sub,
          name: token.name ?? "",
          role: token.role,
          carrierId: token.carrierId ?? null,
          number: token.number,
          otpVerifiedAt: token.otpVerifiedAt,
        };
      }
      return session;
    },
  },
} satisfies NextAuthConfig;
