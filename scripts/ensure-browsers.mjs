#!/usr/bin/env node
// The runtime harness drives Debian's chromium and firefox-esr. Make sure they exist: install them with
// apt-get when we are root on Debian (CI, fresh dev machines), otherwise say exactly what to run.
// DDS_SKIP_RUNTIMES=chromium,firefox skips them outside CI (the harness then warns loudly).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const wanted = [
  { name: "chromium", bin: "/usr/bin/chromium", pkg: "chromium" },
  { name: "firefox", bin: "/usr/bin/firefox-esr", pkg: "firefox-esr" },
];
const skip = new Set((process.env.DDS_SKIP_RUNTIMES ?? "").split(",").map((s) => s.trim()).filter(Boolean));
const ci = process.env.CI === "true";
const missing = wanted.filter((w) => !existsSync(w.bin) && (ci || !skip.has(w.name)));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((m) => m.pkg);
const cmd = `apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot || !existsSync("/usr/bin/apt-get")) {
  console.error(`ensure-browsers: missing ${pkgs.join(", ")} (needed by the runtime harness). Install with:\n  sudo apt-get update && sudo ${cmd}\n` +
    `or skip locally with DDS_SKIP_RUNTIMES=${missing.map((m) => m.name).join(",")} (not allowed in CI).`);
  process.exit(1);
}
console.log(`ensure-browsers: installing ${pkgs.join(", ")} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], cmd.split(" ").slice(1)]) {
  const r = spawnSync("apt-get", args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`ensure-browsers: apt-get ${args.join(" ")} failed (exit ${r.status})`);
    process.exit(1);
  }
}
for (const m of missing) {
  if (!existsSync(m.bin)) {
    console.error(`ensure-browsers: ${m.pkg} installed but ${m.bin} is missing`);
    process.exit(1);
  }
}
