// Ctrl+O's transcript, drawn on the terminal's alternate screen: a title, the lines in view, and where they are.
import { Box, Text } from "ink";
import type { Style } from "../style.js";
import type { TranscriptPager } from "../transcript.js";

export function TranscriptView({ pager, style }: { pager: TranscriptPager; style: Style }) {
  const shown = pager.lines.slice(pager.top, pager.top + pager.rows);
  const last = pager.top + shown.length;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {pager.title ?? (
          <>
            {style.bold("Transcript")}
            {style.dim(" · every tool result in full · ↑/↓ PgUp/PgDn Home/End · ctrl+o or esc to go back")}
          </>
        )}
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
        <Text key={i} wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
      <Text wrap="truncate-end">
        {style.dim(`lines ${shown.length === 0 ? 0 : pager.top + 1}–${last} of ${pager.lines.length}`)}
      </Text>
    </Box>
  );
}
