// Builds the print-mode prompt from the argument and piped stdin, made safe to send as JSON.

/**
 * Reads all of stdin when it is piped (not a terminal); undefined when there is nothing to read.
 * With `waitForFirstByteMs`, a pipe that stays silent that long is left unread: a script that runs
 * `claw -p "…"` with an open but unused stdin must not hang. Once data arrives, it is read to the end.
 */
export async function readPipedStdin(
  stdin: NodeJS.ReadStream = process.stdin,
  options: { waitForFirstByteMs?: number } = {},
): Promise<string | undefined> {
  if (stdin.isTTY) return undefined;
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer =
      options.waitForFirstByteMs === undefined
        ? undefined
        : setTimeout(() => {
            if (chunks.length > 0) return;
            stdin.off("data", onData).off("end", onEnd).off("error", reject);
            stdin.pause();
            // Let the process exit even though the pipe is still open.
            (stdin as NodeJS.ReadStream & { unref?: () => void }).unref?.();
            resolve([]);
          }, options.waitForFirstByteMs);
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => {
      if (timer) clearTimeout(timer);
      resolve(chunks);
    };
    stdin.on("data", onData).once("end", onEnd).once("error", reject);
  });
  if (chunks.length === 0) return undefined;
  // Invalid UTF-8 becomes U+FFFD, deterministically (FAULTS I3).
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

/** Lone surrogates (possible in argv) are replaced so the request body is valid JSON the API accepts. */
function toWellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

export function combinePrompt(argument: string | undefined, piped: string | undefined): string {
  const parts = [piped?.trimEnd(), argument].filter((p): p is string => p !== undefined && p.trim() !== "");
  return toWellFormed(parts.join("\n\n"));
}
