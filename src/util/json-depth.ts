// How deeply a JSON text nests, found without recursion: V8's JSON.stringify and every recursive walk (schema
// checks, merges) overflow the stack on values JSON.parse accepts, so deep input is refused before it is used.

/** True when the JSON text opens more than `max` arrays or objects inside each other. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (ch === 123 || ch === 91) {
      if (++depth > max) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}

/** JSON.stringify, or undefined when the value nests too deeply to serialise. */
export function stringifyOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
