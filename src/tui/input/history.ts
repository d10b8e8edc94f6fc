// Prompt history for ↑/↓, one file per project under the config home (never inside the project).
// Append-only JSONL; trimmed with an atomic rewrite when it grows past a limit.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sanitizeCwd } from "../../session/session-paths.js";
import { writeFileAtomic } from "../../util/atomic-write.js";

const KEEP = 500;

export function historyFile(configHome: string, cwd: string): string {
  return join(configHome, "prompt-history", `${sanitizeCwd(cwd)}.jsonl`);
}

export class PromptHistory {
  private entries: string[] = [];
  /** Position while browsing: entries.length means "the draft being typed". */
  private position = 0;
  private draft = "";

  /** Prompts remembered for this project. */
  get size(): number {
    return this.entries.length;
  }

  constructor(private readonly file: string | undefined) {
    if (!file) return;
    try {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (!line) continue;
        try {
          const value = JSON.parse(line) as { text?: unknown };
          if (typeof value.text === "string") this.entries.push(value.text);
        } catch {
          // a torn line from a crash: skip it
        }
      }
    } catch {
      // no history yet
    }
    if (this.entries.length > KEEP * 2) {
      this.entries = this.entries.slice(-KEEP);
      const data = this.entries.map((text) => JSON.stringify({ text })).join("\n");
      void writeFileAtomic(file, `${data}\n`, { mode: 0o600 }).catch(() => {});
    }
    this.position = this.entries.length;
  }

  get all(): readonly string[] {
    return this.entries;
  }

  add(text: string): void {
    if (!text.trim()) return;
    if (this.entries[this.entries.length - 1] !== text) {
      this.entries.push(text);
      if (this.file) {
        try {
          mkdirSync(join(this.file, ".."), { recursive: true, mode: 0o700 });
          appendFileSync(this.file, `${JSON.stringify({ text, ts: new Date().toISOString() })}\n`, {
            mode: 0o600,
          });
        } catch {
          // history is a convenience: a read-only config home must not break the prompt
        }
      }
    }
    this.position = this.entries.length;
    this.draft = "";
  }

  /** The older entry, or undefined at the oldest. `current` is kept as the draft when browsing starts. */
  previous(current: string): string | undefined {
    if (this.position === 0) return undefined;
    if (this.position === this.entries.length) this.draft = current;
    this.position--;
    return this.entries[this.position];
  }

  next(): string | undefined {
    if (this.position >= this.entries.length) return undefined;
    this.position++;
    return this.position === this.entries.length ? this.draft : this.entries[this.position];
  }

  resetBrowsing(): void {
    this.position = this.entries.length;
  }
}
