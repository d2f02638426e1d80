import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Browser and runtime tests start processes; keep files parallel but bounded (2 cores here and in CI).
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default"],
  },
});
