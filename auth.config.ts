import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/lib/auth/roles";
import { pastAbsoluteLimit, SESSION_IDLE_SECONDS } from "@/lib/auth/session-policy";

declare module "next-auth" {
  interface User {
    role?: Role;
    carrierId?: string | null;
    number?: string;
    otpVerifiedAt?: string;
  }
  interface Session {
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
      }
      if (pastAbsoluteLimit(token.signedInAt, Date.now())) return null;
      return token;
    },
    session({ session, token }) {
      if (token.sub && token.role) {
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
