// /rewind (and Esc Esc on an empty prompt): pick one of the session's prompts, then restore the code, the
// conversation, or both to just before it. Files changed outside claw are only overwritten after a yes.
import type { CheckpointEntry } from "../session/checkpoints/checkpoint-list.js";
import {
  clipText,
  describeFiles,
  describeRewind,
  NOT_COVERED,
} from "../session/checkpoints/checkpoint-text.js";
import type { ReplController } from "./controller.js";
import { pick } from "./pick.js";

type Choice = "both" | "conversation" | "code";

function clock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "     ";
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

export async function rewindCommand(c: ReplController): Promise<void> {
  const rt = c.runtime;
  const checkpoints = rt.checkpoints;
  if (!checkpoints || !rt.sessionPath) {
    c.notice("info", "This session is not saved to disk, so there is nothing to rewind.");
    return;
  }
  const entries = await checkpoints.list();
  if (entries.length === 0) {
    c.notice("info", "No prompts to rewind to yet.");
    return;
  }
  // Newest first: the usual wish is to take back the last prompt.
  const chosenId = await pick(
    c,
    "Rewind to just before a prompt (↑/↓, Enter; Esc cancels)",
    [...entries].reverse().map((e) => ({
      value: e.id,
      label: `${clock(e.at)}  ${clipText(e.prompt, 50)}  · ${describeFiles(e)}`,
    })),
  );
  const entry = entries.find((e) => e.id === chosenId);
  if (!entry) return;
  const choice = await chooseWhat(c, entry);
  if (!choice) return;

  if (choice !== "conversation") {
    const restored = await restoreCode(c, entry.id);
    if (!restored) return;
  }
  if (choice !== "code") {
    const rewound = (await rt.rewindConversation?.(entry.id)) ?? {
      error: "This session cannot rewind its conversation.",
    };
    if ("error" in rewound) {
      c.notice("error", rewound.error);
      return;
    }
    c.refreshFooter();
    c.notice(
      "info",
      `The conversation continues from just before "${clipText(entry.prompt, 60)}"; the later messages stay in the session file.`,
    );
    c.restorePrompt(rewound.promptText);
  }
}

async function chooseWhat(c: ReplController, entry: CheckpointEntry): Promise<Choice | undefined> {
  const code = `Restore the code (${describeFiles(entry)}${entry.kind === "prompt" ? " and any later changes" : ""})`;
  const options =
    entry.kind === "rewind"
      ? [{ value: "code", label: `${code}: undoes this rewind` }]
      : [
          { value: "both", label: "Restore the code and the conversation" },
          { value: "conversation", label: "Restore the conversation only (files stay as they are)" },
          { value: "code", label: `${code}; the conversation stays` },
        ];
  const value = await pick(c, `"${clipText(entry.prompt, 60)}": what to restore? (Esc cancels)`, options);
  return value as Choice | undefined;
}

/** Restores the code; asks before overwriting files changed outside claw. False when nothing was done. */
async function restoreCode(c: ReplController, id: string): Promise<boolean> {
  const checkpoints = c.runtime.checkpoints!;
  let result = await checkpoints.rewind(id);
  if (!result.ok && result.conflicts) {
    const answer = await pick(
      c,
      `Changed outside claw since it last wrote them: ${clipText(result.conflicts.join(", "), 200)}. Overwrite?`,
      [
        { value: "no", label: "No, leave everything as it is" },
        { value: "yes", label: "Yes, restore them too" },
      ],
    );
    if (answer !== "yes") {
      c.notice("info", "Nothing was restored.");
      return false;
    }
    result = await checkpoints.rewind(id, { force: true });
  }
  if (!result.ok) {
    c.notice("error", result.error);
    return false;
  }
  c.print(
    [
      ...describeRewind(result, "Undo it with /rewind (the rewind is listed too)."),
      c.style.dim(NOT_COVERED),
    ].join("\n"),
  );
  return true;
}
