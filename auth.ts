import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { prepareDatabase } from "@/db/startup";
import { authSecret } from "@/lib/auth/secret";
import { authenticateStaff } from "@/lib/auth/staff";
import { authConfig } from "./auth.config";

const staffCredentials = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });

class InvalidStaffLogin extends CredentialsSignin {
  code = "invalid_credentials";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  logger: {
    // A wrong password is an expected answer, not a server error; the audit log records it.
    error(error) {
      if (error.name !== "CredentialsSignin") console.error(`[auth] ${error.name}: ${error.message}`);
    },
  },
  providers: [
    Credentials({
      id: "staff-password",
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = staffCredentials.safeParse(raw);
        if (!parsed.success) throw new InvalidStaffLogin();
        const { handle } = await prepareDatabase();
        const staff = await authenticateStaff(handle.db, parsed.data.email, parsed.data.password);
        if (!staff) throw new InvalidStaffLogin();
        return staff;
      },
    }),
  ],
}));
