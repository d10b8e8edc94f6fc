// Suggested rules for "ask" decisions: what the user could save so the same kind of call is not asked again.
// Like Claude Code, the suggestion is the command's prefix (`Bash(git log:*)`), never a one-off command line.
import { parse as parseShell } from "shell-quote";
import { splitCompoundCommand } from "./bash-split.js";

/** Programs whose second word names the action (`git log`, `cargo test`, `docker build`). */
const WITH_SUBCOMMAND = new Set([
  "git",
  "npm",
  "pnpm",
  "yarn",
  "bun",
  "npx",
  "pnpx",
  "bunx",
  "deno",
  "cargo",
  "rustup",
  "go",
  "docker",
  "podman",
  "kubectl",
  "helm",
  "terraform",
  "gh",
  "make",
  "pip",
  "pip3",
  "poetry",
  "uv",
  "pipenv",
  "conda",
  "dotnet",
  "mvn",
  "gradle",
  "./gradlew",
  "./mvnw",
  "brew",
  "apt",
  "apt-get",
  "systemctl",
  "composer",
  "bundle",
  "rake",
  "rails",
  "mix",
  "swift",
  "flutter",
  "dart",
  "zig",
  "stack",
  "cabal",
  "nix",
  "aws",
  "gcloud",
  "az",
  "nx",
  "turbo",
  "tsc",
  "vitest",
  "jest",
  "pytest",
  "ruff",
  "eslint",
  "prettier",
  "biome",
]);
/** Package-manager runners whose third word is the script (`npm run build`). */
const RUNNERS_WITH_SCRIPT = new Set(["npm", "pnpm", "yarn", "bun", "deno", "uv", "poetry"]);
/** Interpreters whose first argument, a script file, is the action (`python3 scripts/gen.py`). */
const INTERPRETERS = new Set([
  "node",
  "python",
  "python3",
  "ruby",
  "perl",
  "bash",
  "sh",
  "zsh",
  "php",
  "tsx",
]);
const SUBCOMMAND = /^[A-Za-z][\w:.-]*$/;
const SCRIPT_FILE = /^[\w./-]+\.(m?[jt]s|cjs|py|rb|pl|sh|php)$/;
const ASSIGNMENT = /^[A-Za-z_]\w*=/;

/**
 * `echo hello` → `Bash(echo:*)`; `git log -5` → `Bash(git log:*)`; `npm test -- --watch` → `Bash(npm test:*)`;
 * `npm run build` → `Bash(npm run build:*)`; `python3 gen.py --all` → `Bash(python3 gen.py:*)`.
 */
export function suggestBashRule(command: string): string {
  const first = splitCompoundCommand(command)[0]?.text ?? command.trim();
  const words = parseShell(first).filter((w): w is string => typeof w === "string");
  // Leading `FOO=1` assignments are not the command.
  while (words[0] !== undefined && ASSIGNMENT.test(words[0])) words.shift();
  const [head, second, third] = words;
  if (!head) return "Bash";
  const prefix = [head];
  const program = head.replace(/^.*\//, "");
  if (second && (WITH_SUBCOMMAND.has(head) || WITH_SUBCOMMAND.has(program)) && SUBCOMMAND.test(second)) {
    prefix.push(second);
    if (RUNNERS_WITH_SCRIPT.has(program) && second === "run" && third && SUBCOMMAND.test(third))
      prefix.push(third);
  } else if (second && INTERPRETERS.has(program) && SCRIPT_FILE.test(second)) {
    prefix.push(second);
  }
  return `Bash(${prefix.join(" ")}:*)`;
}

/** The first part of a compound command that no allow rule covers (the one worth suggesting a rule for). */
export function firstUnapprovedPart(command: string, isAllowed: (part: string) => boolean): string {
  const parts = splitCompoundCommand(command);
  return parts.find((part) => !isAllowed(part.text))?.text ?? command;
}
