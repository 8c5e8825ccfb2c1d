"use server";

import { z } from "zod";
import { formPost } from "@/lib/actions";
import { staff } from "./guards";
import { staffRoles } from "./roles";
import { endSession } from "./sign-out";

/** Ends the session (revoked in the database, cookie cleared by Auth.js) and returns to the staff sign-in. */
export const staffSignOut = formPost(z.object({}), staff(...staffRoles), () => endSession("/staff/login"));
