// Suggested rules for "ask" decisions: what the user could save so the same kind of call is not asked again.
import { parse as parseShell } from "shell-quote";
import { splitCompoundCommand } from "./bash-split.js";

/** Tools whose second (and third, for `npm run x`) word names the action. */
const RUNNERS_WITH_SCRIPT = new Set(["npm", "pnpm", "yarn", "bun"]);
const SUBCOMMAND = /^[A-Za-z][\w:.-]*$/;

/** `npm test -- --watch` → `Bash(npm test:*)`; `npm run build` → `Bash(npm run build:*)`; `./x.sh` → `Bash(./x.sh:*)`. */
export function suggestBashRule(command: string): string {
  const first = splitCompoundCommand(command)[0]?.text ?? command.trim();
  const words = parseShell(first).filter((w): w is string => typeof w === "string");
  const [head, second, third] = words;
  if (!head) return "Bash";
  const prefix = [head];
  if (second && SUBCOMMAND.test(second)) {
    prefix.push(second);
    if (RUNNERS_WITH_SCRIPT.has(head) && second === "run" && third && SUBCOMMAND.test(third))
      prefix.push(third);
  }
  return `Bash(${prefix.join(" ")}:*)`;
}

/** The first part of a compound command that no allow rule covers (the one worth suggesting a rule for). */
export function firstUnapprovedPart(command: string, isAllowed: (part: string) => boolean): string {
  const parts = splitCompoundCommand(command);
  return parts.find((part) => !isAllowed(part.text))?.text ?? command;
}
