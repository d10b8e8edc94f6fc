// Ctrl+R: reverse incremental search through prompt history (this project's, kept across sessions), as in a
// shell. Typing narrows the query, Ctrl+R again steps to an older match, Enter or a movement key takes the
// match into the prompt, Esc (or Ctrl+G, Ctrl+C) puts back what was being typed before the search.
import * as ed from "./editor.js";
import type { KeyEvent } from "./keys.js";

export interface HistorySearchState {
  query: string;
  /** The prompt that matches, or undefined when nothing in the history contains the query. */
  match: string | undefined;
}

export type SearchOutcome =
  /** The search stays open. */
  | { type: "searching" }
  /** Closed, leaving the input as it was before the search. */
  | { type: "cancel" }
  /** Closed with the match (undefined: none, the input stays) in the prompt; `nextKey` is a key to handle after. */
  | { type: "accept"; text: string | undefined; nextKey?: KeyEvent };

export class HistorySearch {
  query = "";
  /** Index in `entries` of the shown match. */
  private index: number | undefined;

  constructor(private readonly entries: readonly string[]) {
    this.index = this.find(entries.length - 1);
  }

  get state(): HistorySearchState {
    return { query: this.query, match: this.index === undefined ? undefined : this.entries[this.index] };
  }

  /** The newest entry at or before `from` containing the query (case-insensitive), skipping the shown text. */
  private find(from: number, skip?: string): number | undefined {
    const needle = this.query.toLowerCase();
    for (let i = from; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry === skip) continue;
      if (entry.toLowerCase().includes(needle)) return i;
    }
    return undefined;
  }

  handle(event: KeyEvent): SearchOutcome {
    if (event.type === "text") {
      this.query += event.text;
      // A longer query can only match the shown entry or older ones.
      this.index = this.find(this.index ?? this.entries.length - 1);
      return { type: "searching" };
    }
    if (event.type === "ctrl") {
      if (event.letter === "r") {
        const older = this.index === undefined ? undefined : this.find(this.index - 1, this.state.match);
        if (older !== undefined) this.index = older;
        return { type: "searching" };
      }
      if (event.letter === "g" || event.letter === "c") return { type: "cancel" };
      if (event.letter === "h") return this.backspace();
      return { type: "accept", text: this.state.match, nextKey: event };
    }
    if (event.type !== "key") return { type: "searching" };
    switch (event.name) {
      case "escape":
        return { type: "cancel" };
      case "enter":
        return { type: "accept", text: this.state.match };
      case "backspace":
        return this.backspace();
      default:
        return { type: "accept", text: this.state.match, nextKey: event };
    }
  }

  private backspace(): SearchOutcome {
    this.query = ed.backspace(ed.fromText(this.query)).text;
    this.index = this.find(this.entries.length - 1);
    return { type: "searching" };
  }
}
