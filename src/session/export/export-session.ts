// Writes a saved session out as one HTML page or as markdown, atomically; shared by `claw export` and the
// REPL's /export. Loaded only by those two (dynamic import): the page builder pulls in marked and highlight.js.
import { writeFileAtomic } from "../../util/atomic-write.js";
import { loadSession } from "../session-load.js";
import { sessionHtml } from "./html-export.js";
import { callTitle } from "./html-parts.js";
import { transcriptMarkdown } from "./markdown-export.js";
import { sessionTurns } from "./session-turns.js";

export type ExportFormat = "html" | "markdown";

/** The page or the markdown for the session file at `sessionPath` (throws SessionError when unreadable). */
export function renderSessionFile(sessionPath: string, format: ExportFormat): string {
  const session = loadSession(sessionPath);
  if (format === "html") return sessionHtml(sessionTurns(session));
  return transcriptMarkdown(session.messages, (block) =>
    callTitle({ id: block.id, name: block.name, input: block.input }, session.header.cwd),
  );
}

/** Writes `text` to `path` atomically; a failure says where and why in one line. */
export async function writeExport(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "its folder does not exist" : (code ?? (error as Error).message);
    throw new Error(`Cannot write the export to ${path} (${why}).`);
  }
}
