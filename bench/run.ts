import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

// Runs every bench/*.ts script (each in its own process, so memory figures are its own).
const dir = path.dirname(new URL(import.meta.url).pathname);
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "run.ts").sort()) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, file)], { stdio: "inherit" });
  if (result.status !== 0) process.exitCode = result.status ?? 1;
}
