import "server-only";
import { getFormatter } from "next-intl/server";

/** "in 45 seconds" / "45秒钟后", "in 12 minutes" / "12分钟后", "in 1 hour" / "1小时后". */
export async function waitPhrase(seconds: number): Promise<string> {
  const format = await getFormatter();
  const now = new Date();
  const at = new Date(now.getTime() + seconds * 1000);
  const unit = seconds < 120 ? "second" : seconds < 2 * 3600 ? "minute" : "hour";
  return format.relativeTime(at, { now, unit });
}
