import type { NextAuthConfig } from "next-auth";
import type { Role } from "@/lib/auth/roles";

declare module "next-auth" {
  interface User {
    role?: Role;
    carrierId?: string | null;
  }
  interface Session {
    user: { id: string; name: string; role: Role; carrierId: string | null };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    role?: Role;
    carrierId?: string | null;
  }
}

const HOUR = 60 * 60;

/** Provider-free part of the Auth.js set-up: sessions, pages and the claims carried in the JWT. */
export const authConfig = {
  pages: { signIn: "/staff/login" },
  // Credentials providers need JWT sessions; 12 hours absolute, refreshed while in use.
  session: { strategy: "jwt", maxAge: 12 * HOUR, updateAge: 15 * 60 },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.carrierId = user.carrierId ?? null;
      }
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
        };
      }
      return session;
    },
  },
} satisfies NextAuthConfig;
