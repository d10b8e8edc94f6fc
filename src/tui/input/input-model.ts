// The prompt input's behaviour without React: editing keys, history, pastes with placeholders, and the
// completion menu for /commands and @paths. The view renders its state; App routes key events here.
import { printable } from "../style.js";
import * as ed from "./editor.js";
import type { PromptHistory } from "./history.js";
import { HistorySearch } from "./history-search.js";
import type { KeyEvent } from "./keys.js";

export interface CompletionItem {
  value: string;
  label: string;
  description?: string;
}

export interface Completion {
  kind: "slash" | "path";
  items: CompletionItem[];
  index: number;
  /** Where the completed token starts in the text. */
  start: number;
}

export type InputAction = { type: "none" } | { type: "submit"; text: string };

export interface InputDeps {
  history: PromptHistory;
  commands: () => Array<{ name: string; description: string; args?: string }>;
  /** Paths for an @mention, best first; undefined while the workspace is still being listed. */
  completePath: (partial: string) => string[] | undefined;
}

/** A paste longer than this (characters or lines) shows as a placeholder but is sent in full. */
const PASTE_CHARS = 800;
const PASTE_LINES = 10;
/** Text coming back into the input (history, a restored prompt) with a line longer than this, or longer than
 * RECALL_CHARS overall, shows as a paste placeholder too: the prompt box's wrapping of a huge line is slow
 * enough (quadratic) to freeze the REPL on every key. */
const RECALL_LINE_CHARS = 2000;
const RECALL_CHARS = 20_000;

export class InputModel {
  editor: ed.EditorState = ed.EMPTY_EDITOR;
  completion: Completion | undefined;
  /** Ctrl+R's search through prompt history, while it is open. */
  search: HistorySearch | undefined;
  private readonly pastes = new Map<string, string>();
  private pasteCount = 0;

  constructor(private readonly deps: InputDeps) {}

  get text(): string {
    return this.editor.text;
  }

  setText(text: string): void {
    this.completion = undefined;
    const full = this.expand(text);
    if (full.length > RECALL_CHARS || full.split("\n").some((line) => line.length > RECALL_LINE_CHARS)) {
      this.editor = ed.EMPTY_EDITOR;
      this.paste(full);
    } else {
      this.editor = ed.fromText(text);
    }
  }

  clear(): void {
    this.setText("");
    this.pastes.clear();
  }

  paste(raw: string): void {
    const text = printable(raw);
    const lines = text.split("\n").length;
    if (text.length > PASTE_CHARS || lines > PASTE_LINES) {
      const label = `[Pasted text #${++this.pasteCount} +${lines} lines]`;
      this.pastes.set(label, text);
      this.editor = ed.insert(this.editor, label);
    } else {
      this.editor = ed.insert(this.editor, text);
    }
    this.refreshMenus();
  }

  /** The text to send: placeholders replaced by what was pasted. */
  expanded(): string {
    return this.expand(this.editor.text);
  }

  private expand(text: string): string {
    let out = text;
    for (const [label, content] of this.pastes) out = out.split(label).join(content);
    return out;
  }

  handle(event: KeyEvent): InputAction {
    if (this.search) {
      const outcome = this.search.handle(event);
      if (outcome.type === "searching") return { type: "none" };
      this.search = undefined;
      this.deps.history.resetBrowsing();
      if (outcome.type === "cancel") return { type: "none" };
      if (outcome.text !== undefined) this.setText(outcome.text);
      return outcome.nextKey ? this.handle(outcome.nextKey) : { type: "none" };
    }
    if (event.type === "ctrl" && event.letter === "r") {
      // The input stays as typed while searching; Esc comes back to it.
      this.completion = undefined;
      this.search = new HistorySearch(this.deps.history.all);
      return { type: "none" };
    }
    if (event.type === "text") {
      this.editor = ed.insert(this.editor, event.text);
      this.deps.history.resetBrowsing();
      this.refreshMenus();
      return { type: "none" };
    }
    if (event.type === "ctrl") return this.ctrl(event.letter);
    if (event.type !== "key") return { type: "none" };
    const menu = this.completion;
    switch (event.name) {
      case "enter": {
        if (menu?.kind === "path" && this.typedMention() === menu.items[menu.index]?.value) {
          // The mention is already complete as typed: Enter sends the prompt.
          this.completion = undefined;
          return this.submit();
        }
        if (menu) {
          // Enter runs the highlighted command (arguments are optional); Tab completes it for typing arguments.
          this.accept();
          if (menu.kind === "slash") {
            this.editor = ed.fromText(this.editor.text.trimEnd());
            return this.submit();
          }
          return { type: "none" };
        }
        if (this.editor.text.endsWith("\\") && this.editor.cursor === this.editor.text.length) {
          this.editor = ed.insert(ed.backspace(this.editor), "\n");
          return { type: "none" };
        }
        return this.submit();
      }
      case "newline":
        this.editor = ed.insert(this.editor, "\n");
        break;
      case "tab":
        if (menu) this.accept();
        else this.openCompletion();
        break;
      case "backspace":
        this.editor = ed.backspace(this.editor);
        this.refreshMenus();
        break;
      case "delete":
        this.editor = ed.deleteForward(this.editor);
        break;
      case "left":
        this.editor = ed.left(this.editor);
        this.refreshMenus();
        break;
      case "right":
        this.editor = ed.right(this.editor);
        this.refreshMenus();
        break;
      case "home":
        this.editor = ed.home(this.editor);
        break;
      case "end":
        this.editor = ed.end(this.editor);
        break;
      case "word-left":
        this.editor = ed.wordLeft(this.editor);
        break;
      case "word-right":
        this.editor = ed.wordRight(this.editor);
        break;
      case "kill-word-back":
        this.editor = ed.killWordBack(this.editor);
        break;
      case "kill-word-forward":
        this.editor = ed.killWordForward(this.editor);
        break;
      case "up":
        if (menu) menu.index = (menu.index - 1 + menu.items.length) % menu.items.length;
        else this.vertical(-1);
        break;
      case "down":
        if (menu) menu.index = (menu.index + 1) % menu.items.length;
        else this.vertical(1);
        break;
      case "escape":
        this.completion = undefined;
        break;
      default:
        break;
    }
    return { type: "none" };
  }

  private ctrl(letter: string): InputAction {
    switch (letter) {
      case "a":
        this.editor = ed.home(this.editor);
        break;
      case "e":
        this.editor = ed.end(this.editor);
        break;
      case "b":
        this.editor = ed.left(this.editor);
        break;
      case "f":
        this.editor = ed.right(this.editor);
        break;
      case "k":
        this.editor = ed.killToEnd(this.editor);
        break;
      case "u":
        this.editor = ed.killToStart(this.editor);
        break;
      case "w":
        this.editor = ed.killWordBack(this.editor);
        break;
      case "h":
        this.editor = ed.backspace(this.editor);
        break;
      case "d":
        this.editor = ed.deleteForward(this.editor);
        break;
      case "p":
        this.vertical(-1);
        break;
      case "n":
        this.vertical(1);
        break;
      default:
        return { type: "none" };
    }
    this.refreshMenus();
    return { type: "none" };
  }

  private submit(): InputAction {
    const text = this.expanded();
    this.completion = undefined;
    if (!text.trim()) return { type: "none" };
    this.clear();
    return { type: "submit", text };
  }

  private vertical(direction: -1 | 1): void {
    const moved = direction < 0 ? ed.up(this.editor) : ed.down(this.editor);
    if (moved) {
      this.editor = moved;
      return;
    }
    const entry = direction < 0 ? this.deps.history.previous(this.editor.text) : this.deps.history.next();
    if (entry !== undefined) this.setText(entry);
  }

  private argsFor(value: string): boolean {
    const name = value.replace(/^\//, "");
    return Boolean(this.deps.commands().find((c) => c.name === name)?.args);
  }

  /** Menus follow typing: the slash menu while the text is a single "/word", the path menu in an @mention. */
  refreshMenus(): void {
    const text = this.editor.text;
    if (/^\/[\w:.-]*$/.test(text)) {
      this.refreshSlashMenu(text);
      return;
    }
    if (this.completion?.kind === "slash") this.completion = undefined;
    const token = ed.tokenAtCursor(this.editor);
    if (!token.text.startsWith("@")) {
      if (this.completion?.kind === "path") this.completion = undefined;
      return;
    }
    const matches = this.deps.completePath(token.text.slice(1));
    if (matches === undefined) return; // still listing: the menu comes when the files are known
    const previous =
      this.completion?.kind === "path" ? this.completion.items[this.completion.index] : undefined;
    const items = matches.map((m) => ({ value: `@${m}`, label: m }));
    const kept = previous ? items.findIndex((item) => item.value === previous.value) : -1;
    this.completion =
      items.length > 0 ? { kind: "path", start: token.start, index: Math.max(0, kept), items } : undefined;
  }

  /** The @mention being typed at the cursor, or undefined. */
  private typedMention(): string | undefined {
    const token = ed.tokenAtCursor(this.editor);
    return token.text.startsWith("@") ? token.text : undefined;
  }

  private refreshSlashMenu(text: string): void {
    const typed = text.slice(1).toLowerCase();
    const items = this.deps
      .commands()
      .filter((c) => c.name.startsWith(typed))
      .map((c) => ({
        value: `/${c.name}`,
        label: `/${c.name}${c.args ? ` ${c.args}` : ""}`,
        description: c.description,
      }));
    this.completion = items.length > 0 ? { kind: "slash", items, index: 0, start: 0 } : undefined;
  }

  private openCompletion(): void {
    const token = ed.tokenAtCursor(this.editor);
    if (token.text.startsWith("@")) {
      const matches = this.deps.completePath(token.text.slice(1)) ?? [];
      if (matches.length === 1) {
        this.editor = ed.replaceRange(this.editor, token.start, this.editor.cursor, `@${matches[0]!}`);
        if (!matches[0]!.endsWith("/")) this.editor = ed.insert(this.editor, " ");
      } else if (matches.length > 1) {
        this.completion = {
          kind: "path",
          start: token.start,
          index: 0,
          items: matches.map((m) => ({ value: `@${m}`, label: m })),
        };
      }
      return;
    }
    this.refreshMenus();
  }

  private accept(): void {
    const menu = this.completion;
    if (!menu) return;
    const item = menu.items[menu.index];
    this.completion = undefined;
    if (!item) return;
    const token = ed.tokenAtCursor(this.editor);
    const start = menu.kind === "slash" ? 0 : token.start;
    const suffix =
      menu.kind === "slash" ? (this.argsFor(item.value) ? " " : "") : item.value.endsWith("/") ? "" : " ";
    this.editor = ed.replaceRange(this.editor, start, this.editor.cursor, item.value + suffix);
    // A folder stays open: its contents are offered next.
    if (menu.kind === "path" && suffix === "") this.refreshMenus();
  }
}
