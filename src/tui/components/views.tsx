// Small presentational pieces of the REPL: spinner line, footer, prompt input, completion menu, picker, dialog.
import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import type { PermissionQuestion } from "../../policy/permission-types.js";
import { formatDuration } from "../../util/format-duration.js";
import { attemptOf, formatCost, formatTokens, retryHeadline } from "../format.js";
import type { EditorState } from "../input/editor.js";
import type { HistorySearchState } from "../input/history-search.js";
import type { Completion } from "../input/input-model.js";
import { fitToWidth, visibleWidth } from "../markdown/wrap.js";
import type { FooterInfo, ReplState, RetryStatus } from "../repl-state.js";
import type { Style } from "../style.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function Spinner({
  busy,
  retry,
  style,
}: {
  busy: NonNullable<ReplState["busy"]>;
  retry?: RetryStatus;
  style: Style;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, []);
  const elapsed = Math.max(0, now - busy.since);
  if (retry) {
    // One line that updates in place while a request is retried; it leaves the screen when that settles.
    const wait = Math.ceil((retry.at - now) / 1000);
    const when = wait > 0 ? `retrying in ${wait}s` : "retrying now";
    return (
      <Box marginTop={1}>
        <Text>
          {style.color("yellow", `⚠ ${retryHeadline(retry)} · ${when} · attempt ${attemptOf(retry)}`)}
          {style.dim(" (esc to cancel)")}
        </Text>
      </Box>
    );
  }
  const frame = FRAMES[Math.floor(elapsed / 100) % FRAMES.length];
  const tokens = busy.tokens > 0 ? ` · ↓ ${formatTokens(busy.tokens)} tokens` : "";
  return (
    <Box marginTop={1}>
      <Text>
        {style.color("magenta", `${frame} ${busy.label}…`)}
        {style.dim(
          ` (${elapsed < 60_000 ? `${Math.floor(elapsed / 1000)}s` : formatDuration(elapsed)}${tokens} · esc to interrupt)`,
        )}
      </Text>
    </Box>
  );
}

export function Footer({
  info,
  hint,
  style,
  width = 80,
}: {
  info: FooterInfo;
  hint: string | undefined;
  style: Style;
  width?: number;
}) {
  const right = `${info.model} · ${info.mode} · context ${info.contextPercent}% · ${formatCost(info.costUsd)}`;
  const rightWidth = visibleWidth(right);
  if (rightWidth >= width - 1) {
    // Narrower than the status itself: one cut line (the hint when there is one), never a second line.
    return (
      <Box>
        <Text wrap="truncate-end">{hint ? style.color("yellow", hint) : style.dim(right)}</Text>
      </Box>
    );
  }
  if (!hint && width - rightWidth < 20) {
    // No room for a useful part of the tip: a stub like "/h…" would only be noise.
    return (
      <Box justifyContent="flex-end">
        <Text wrap="truncate-end">{style.dim(right)}</Text>
      </Box>
    );
  }
  return (
    <Box justifyContent="space-between">
      {/* The hint gives way first on a narrow terminal; the status on the right is never wrapped. */}
      <Box flexShrink={1} marginRight={1}>
        <Text wrap="truncate-end">
          {hint ? style.color("yellow", hint) : style.dim(tipsThatFit(width - rightWidth - 2))}
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text wrap="truncate-end">{style.dim(right)}</Text>
      </Box>
    </Box>
  );
}

const TIPS = ["/help for commands", "@ to attach", "! for shell"];

/** As many whole tips as fit in `room` columns, so the tip line is never cut mid-word. */
function tipsThatFit(room: number): string {
  let text = TIPS[0] ?? "";
  for (const tip of TIPS.slice(1)) {
    if (`${text} · ${tip}`.length > room) break;
    text = `${text} · ${tip}`;
  }
  return text;
}

/** The prompt with a visible cursor; continuation lines are indented under the first. */
export function PromptView({
  editor,
  style,
  placeholder,
  search,
}: {
  editor: EditorState;
  style: Style;
  placeholder?: string;
  /** Ctrl+R is open: the box shows the query and the prompt it found instead of the input. */
  search?: HistorySearchState;
}) {
  if (search) return <SearchView search={search} style={style} />;
  const { text, cursor } = editor;
  let body: string;
  if (text === "" && placeholder) {
    body = style.inverse(placeholder[0] ?? " ") + style.dim(placeholder.slice(1));
  } else {
    const at = text[cursor];
    const cursorChar = at === undefined || at === "\n" ? " " : at;
    const after =
      at === undefined ? "" : at === "\n" ? text.slice(cursor) : text.slice(cursor + cursorChar.length);
    body = text.slice(0, cursor) + style.inverse(cursorChar) + after;
  }
  const lines = body.split("\n");
  return (
    <Box flexDirection="column" borderStyle="round" borderDimColor={style.enabled} paddingX={1}>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
        <Text key={i}>{`${i === 0 ? style.bold(">") : " "} ${line}`}</Text>
      ))}
    </Box>
  );
}

function SearchView({ search, style }: { search: HistorySearchState; style: Style }) {
  const lines = search.match?.split("\n") ?? [];
  // The query is underlined where it matched (its first place), so the reason for the match is visible.
  const at = search.query ? lines.findIndex((l) => l.toLowerCase().includes(search.query.toLowerCase())) : -1;
  if (at >= 0 && at < 6 && lines[at]!.toLowerCase().length === lines[at]!.length) {
    const line = lines[at]!;
    const start = line.toLowerCase().indexOf(search.query.toLowerCase());
    const end = start + search.query.length;
    lines[at] = line.slice(0, start) + style.underline(style.bold(line.slice(start, end))) + line.slice(end);
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderDimColor={style.enabled} paddingX={1}>
      <Text>
        {style.dim("search history: ")}
        {search.query}
        {style.inverse(" ")}
        {search.match === undefined ? style.color("yellow", "  no match") : ""}
      </Text>
      {lines.slice(0, 6).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
        <Text key={i} wrap="truncate-end">{`${i === 0 ? style.bold(">") : " "} ${line}`}</Text>
      ))}
      {lines.length > 6 ? <Text>{style.dim(`  … ${lines.length - 6} more lines`)}</Text> : null}
      <Text>{style.dim("ctrl+r older · enter to use · esc to cancel")}</Text>
    </Box>
  );
}

export function CompletionMenu({
  completion,
  style,
  width = 80,
}: {
  completion: Completion;
  style: Style;
  /** Terminal columns: the label column fits in about half of it, each row is cut rather than wrapped. */
  width?: number;
}) {
  const size = 8;
  const first = Math.max(0, Math.min(completion.index - size + 1, completion.items.length - size));
  const shown = completion.items.slice(Math.max(0, first), Math.max(0, first) + size);
  const column = Math.min(
    Math.max(...completion.items.map((item) => visibleWidth(item.label))),
    Math.max(16, Math.floor(width * 0.45)),
  );
  return (
    <Box flexDirection="column" paddingX={2}>
      {shown.map((item) => {
        const selected = item === completion.items[completion.index];
        const label = fitToWidth(item.label, column);
        return (
          <Text key={item.value} wrap="truncate-end">
            {selected ? style.color("cyan", style.bold(`› ${label}`)) : `  ${label}`}
            {item.description ? style.dim(`  ${item.description}`) : ""}
          </Text>
        );
      })}
      {completion.items.length > size ? (
        <Text>{style.dim(`  ${completion.items.length} matches`)}</Text>
      ) : null}
    </Box>
  );
}

export function PickerView({
  picker,
  index,
  style,
}: {
  picker: NonNullable<ReplState["picker"]>;
  index: number;
  style: Style;
}) {
  const size = 10;
  const start = Math.max(0, Math.min(index - size + 1, picker.options.length - size));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} marginTop={1}>
      <Text>{style.bold(picker.title)}</Text>
      {picker.options.slice(start, start + size).map((option, i) => (
        <Text key={option.value}>
          {start + i === index ? style.color("cyan", `› ${option.label}`) : `  ${option.label}`}
        </Text>
      ))}
    </Box>
  );
}

export const DIALOG_CHOICES = ["once", "session", "project", "deny"] as const;

export function PermissionDialogView(props: {
  question: PermissionQuestion;
  preview: string;
  index: number;
  denyMessage: string | undefined;
  style: Style;
}) {
  const { question, preview, index, denyMessage, style } = props;
  const rule = question.suggestedRule ?? question.toolName;
  const labels = [
    "Yes",
    `Yes, and don't ask again for ${style.bold(rule)} this session`,
    `Yes, and save ${style.bold(rule)} to .claude/settings.local.json`,
    "No, and tell claw what to do differently",
  ];
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} marginTop={1}>
      <Text>
        {style.bold(
          style.color(
            "yellow",
            question.subagent
              ? `The ${question.subagent} agent wants to use ${question.toolName}`
              : `${question.toolName} wants permission`,
          ),
        )}
      </Text>
      <Text>{preview}</Text>
      {question.reason ? <Text>{style.dim(question.reason)}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        {labels.map((label, i) => (
          <Text key={DIALOG_CHOICES[i]}>
            {i === index ? style.color("cyan", `› ${i + 1}. `) + label : `  ${i + 1}. ${label}`}
          </Text>
        ))}
      </Box>
      {denyMessage !== undefined ? (
        <Text>
          {style.dim("Message to the model (Enter to send, Esc to just deny): ")}
          {denyMessage}
          {style.inverse(" ")}
        </Text>
      ) : (
        <Text>{style.dim("↑/↓ or 1–4 to choose · Enter to confirm · Esc to deny")}</Text>
      )}
    </Box>
  );
}
