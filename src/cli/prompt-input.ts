// Builds the print-mode prompt from the argument and piped stdin, made safe to send as JSON.

/** Reads all of stdin when it is piped (not a terminal); undefined when there is nothing to read. */
export async function readPipedStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string | undefined> {
  if (stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
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
