// /diff's parts that need no terminal: cutting `git diff` output into files, and outside git the changes a
// session's edits describe.
import { describe, expect, it } from "vitest";
import type { Message } from "../../../src/api/types.js";
import { sessionChanges, splitGitDiff } from "../../../src/tui/commands-diff.js";

describe("/diff", () => {
  it("cuts git diff output into files, keeping binary and mode-only changes as one line", () => {
    const diff = [
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1..2 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -1,2 +1,2 @@",
      " keep",
      "-old",
      "+new",
      "diff --git a/logo.png b/logo.png",
      "index 3..4 100644",
      "Binary files a/logo.png and b/logo.png differ",
      "diff --git a/run.sh b/run.sh",
      "old mode 100644",
      "new mode 100755",
      "",
    ].join("\n");
    expect(splitGitDiff(diff)).toEqual([
      {
        path: "src/a.ts",
        patch: "@@ -1,2 +1,2 @@\n keep\n-old\n+new",
        added: 1,
        removed: 1,
        untracked: false,
      },
      {
        path: "logo.png",
        patch: "Binary files a/logo.png and b/logo.png differ",
        added: 0,
        removed: 0,
        untracked: false,
      },
      {
        path: "run.sh",
        patch: "(no textual change: mode or rename)",
        added: 0,
        removed: 0,
        untracked: false,
      },
    ]);
  });

  it("outside git, lists what the session's successful edits changed, a file once", () => {
    const messages: Message[] = [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "w",
            name: "Write",
            input: { file_path: "/ws/notes.md", content: "one\n" },
          },
          {
            type: "tool_use",
            id: "e",
            name: "Edit",
            input: { file_path: "/ws/notes.md", old_string: "one", new_string: "two" },
          },
          {
            type: "tool_use",
            id: "x",
            name: "Edit",
            input: { file_path: "/ws/failed.md", old_string: "a", new_string: "b" },
          },
          { type: "tool_use", id: "r", name: "Read", input: { file_path: "/ws/read.md" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "w", content: "ok" },
          { type: "tool_result", tool_use_id: "e", content: "ok" },
          { type: "tool_result", tool_use_id: "x", content: "not found", is_error: true },
          { type: "tool_result", tool_use_id: "r", content: "text" },
        ],
      },
    ];
    const files = sessionChanges(messages, "/ws");
    expect(files.map((f) => f.path)).toEqual(["notes.md"]);
    expect(files[0]!.patch).toContain("+one");
    expect(files[0]!.patch).toContain("-one\n+two");
    expect(files[0]).toMatchObject({ added: 2, removed: 1 });
  });
});
