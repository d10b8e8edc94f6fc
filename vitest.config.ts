import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the built CLI; two workers match the 2-core machines.
    maxWorkers: 2,
    pool: "forks",
    // In-process REPL tests answer permission dialogs as soon as they appear (see App.tsx dialogGuardMs).
    env: { CLAW_DIALOG_GUARD_MS: "0" },
  },
});
