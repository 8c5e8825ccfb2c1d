import { createHmac } from "node:crypto";
import type { StaffRole, TenureSource } from "./enums";
import type { NewPlatform } from "./schema";

/**
 * Sandbox data: fictional carriers' customers, fictional platforms and demo numbers. Nothing here
 * is a real person's number or a real company.
 */
export const carrierSeed = [
  { code: "cmcc", nameZh: "中国移动", nameEn: "China Mobile" },
  { code: "cucc", nameZh: "中国联通", nameEn: "China Unicom" },
  { code: "ctcc", nameZh: "中国电信", nameEn: "China Telecom" },
] as const;

export type CarrierCode = (typeof carrierSeed)[number]["code"];

type PlatformSeed = Omit<NewPlatform, "baseUrl" | "id" | "createdAt" | "sandbox" | "status" | "senderIds"> & { senderIds: string[] };

export const platformSeed: PlatformSeed[] = [
  { slug: "linkup-chat", nameZh: "连信（沙盒）", nameEn: "Linkup Chat (sandbox)", category: "messaging", disclosure: "named", senderIds: ["连信", "10690001001"] },
  { slug: "moments-square", nameZh: "朋友广场（沙盒）", nameEn: "Moments Square (sandbox)", category: "social", disclosure: "named", senderIds: ["朋友广场", "10690001002"] },
  { slug: "short-clips", nameZh: "短影（沙盒）", nameEn: "Short Clips (sandbox)", category: "social", disclosure: "named", senderIds: ["短影", "10690001003"] },
  { slug: "swift-ride", nameZh: "快行出行（沙盒）", nameEn: "Swift Ride (sandbox)", category: "ride_hailing", disclosure: "named", senderIds: ["快行出行", "快行", "95001001"] },
  { slug: "green-taxi", nameZh: "绿叶打车（沙盒）", nameEn: "Green Taxi (sandbox)", category: "ride_hailing", disclosure: "named", senderIds: ["绿叶打车", "绿叶", "95001002"] },
  { slug: "daily-mall", nameZh: "每日商城（沙盒）", nameEn: "Daily Mall (sandbox)", category: "e_commerce", disclosure: "named", senderIds: ["每日商城", "10690002001"] },
  { slug: "bargain-bazaar", nameZh: "拼好集（沙盒）", nameEn: "Bargain Bazaar (sandbox)", category: "e_commerce", disclosure: "named", senderIds: ["拼好集", "10690002002"] },
  { slug: "coin-pay", nameZh: "硬币支付（沙盒）", nameEn: "Coin Pay (sandbox)", category: "payments", disclosure: "named", senderIds: ["硬币支付", "95001003"] },
  { slug: "easy-credit", nameZh: "易贷花（沙盒）", nameEn: "Easy Credit (sandbox)", category: "lending", disclosure: "category", senderIds: ["易贷花", "10690003001", "95001004"] },
  { slug: "quick-loan", nameZh: "速借（沙盒）", nameEn: "Quick Loan (sandbox)", category: "lending", disclosure: "category", senderIds: ["速借", "10690003002", "95001005"] },
  { slug: "fresh-bites", nameZh: "鲜送外卖（沙盒）", nameEn: "Fresh Bites (sandbox)", category: "food_delivery", disclosure: "named", senderIds: ["鲜送外卖", "鲜送", "10690004001"] },
  { slug: "city-services", nameZh: "城市通政务（沙盒）", nameEn: "City Services (sandbox)", category: "government", disclosure: "named", senderIds: ["城市通政务", "城市通", "12345001"] },
];

export interface TenureSeed {
  number: string;
  carrier: CarrierCode;
  startedAt: string;
  endedAt?: string;
  source: TenureSource;
  simChangedAt?: string;
}

/**
 * Demo numbers. The first is the main story: the previous owner held it until December 2025, the
 * carrier re-issued it in March 2026 after the 90-day freeze, and several platforms still have the
 * previous owner's accounts on it.
 */
export const DEMO_OWNER_NUMBER = "+8613800138000";

export const tenureSeed: TenureSeed[] = [
  { number: DEMO_OWNER_NUMBER, carrier: "cmcc", startedAt: "2019-06-01T00:00:00+08:00", endedAt: "2025-12-10T00:00:00+08:00", source: "carrier_record" },
  { number: DEMO_OWNER_NUMBER, carrier: "cmcc", startedAt: "2026-03-15T10:30:00+08:00", source: "carrier_record" },
  { number: "+8618620001234", carrier: "cucc", startedAt: "2024-09-02T09:00:00+08:00", source: "carrier_record" },
  // Re-issued three weeks ago with a SIM change two days ago: the SIM-swap case that platforms weigh.
  { number: "+8615300001111", carrier: "ctcc", startedAt: "2026-11-06T14:00:00+08:00", source: "carrier_record", simChangedAt: "2026-11-26T20:15:00+08:00" },
  { number: "+8613912345678", carrier: "cmcc", startedAt: "2025-04-20T00:00:00+08:00", source: "self_declared" },
];

/**
 * What each sandbox platform holds, read by the reference partner server (the platforms' side of
 * the protocol, not Reclaim's): the date each platform's account on the number was created. The
 * platform compares it with the tenure start we send, exactly as a real platform would.
 */
export const sandboxBindings: Record<string, Record<string, string>> = {
  [DEMO_OWNER_NUMBER]: {
    // The previous owner's accounts (2019–2025).
    "linkup-chat": "2019-07-02T12:00:00+08:00",
    "swift-ride": "2020-03-18T12:00:00+08:00",
    "daily-mall": "2019-11-11T12:00:00+08:00",
    "easy-credit": "2023-05-09T12:00:00+08:00",
    "quick-loan": "2024-01-22T12:00:00+08:00",
    "city-services": "2021-08-30T12:00:00+08:00",
    // The new owner's own accounts.
    "fresh-bites": "2026-04-02T12:00:00+08:00",
    "coin-pay": "2026-03-20T12:00:00+08:00",
  },
  "+8618620001234": { "linkup-chat": "2024-10-01T12:00:00+08:00", "bargain-bazaar": "2022-02-14T12:00:00+08:00" },
  "+8615300001111": { "green-taxi": "2025-06-01T12:00:00+08:00", "coin-pay": "2024-12-12T12:00:00+08:00" },
};

/**
 * The signing secret of a sandbox platform: derived from its slug, so the reference partner server
 * and the seed agree without sharing a file. Public by design: sandbox platforms are fictional and
 * never hold real data. Real platforms get random secrets (see docs/partner-api.md).
 */
export function sandboxSigningSecret(slug: string): string {
  return "whsec_" + createHmac("sha256", "reclaim-sandbox-platform-secret").update(slug).digest("base64");
}

export interface StaffSeed {
  email: string;
  displayName: string;
  role: StaffRole;
  carrier?: CarrierCode;
  password: string;
}

/**
 * DEVELOPMENT ONLY: the TOTP secret (base32) of every demo staff account, so that the demo logins
 * work without enrolling a phone; `npm run dev` prints the current codes (scripts/dev-totp.ts), and
 * any authenticator app can add it by hand. Public, hence never seeded into a production database
 * that is not a sandbox (db/seed.ts); a real account enrols its own secret at first sign-in.
 */
export const DEV_TOTP_SECRET = "JBSWY3DPEHPK3PXPRECLAIMDEVONLY23";

/**
 * Demo logins, printed by `npm run db:seed`. Only seeded on request or in development. Their
 * names are kept in both languages as `中文 / English`; each page shows only its own language's
 * (lib/auth/staff-name.ts).
 */
export const staffSeed: StaffSeed[] = [
  { email: "agent@demo.reclaim.test", displayName: "演示客服 / Demo agent", role: "agent", carrier: "cmcc", password: "reclaim-demo-agent" },
  { email: "regulator@demo.reclaim.test", displayName: "演示监管 / Demo regulator", role: "regulator", password: "reclaim-demo-regulator" },
  { email: "supervisor@demo.reclaim.test", displayName: "演示客服主管 / Demo supervisor", role: "supervisor", carrier: "cmcc", password: "reclaim-demo-supervisor" },
];

/** The lines `npm run db:seed` (and `npm run dev` on first start) print. */
export function demoLoginLines(): string[] {
  return [
    "Demo logins (sandbox only):",
    `  owner      ${DEMO_OWNER_NUMBER}  (sign in with an SMS code)`,
    ...staffSeed.map((s) => `  ${s.role.padEnd(10)} ${s.email}  password: ${s.password}  → /staff/login`),
    `  staff codes: the dev TOTP secret ${DEV_TOTP_SECRET} (npm run dev prints the current code every 30 s; or npm run dev:totp)`,
  ];
}
