// Finds what JSON.parse accepts silently but a settings file must not hold: a key given twice in one object
// (JSON.parse keeps the last, so `"permissions"` twice drops the first one's deny rules) and nesting deeper
// than any real settings file (deep values crash recursive merges). Iterative, so depth itself is harmless.
import { lineAndColumn } from "./json-location.js";

export interface JsonShapeProblem {
  message: string;
  line: number;
  column: number;
}

interface Frame {
  object: boolean;
  path: string;
  keys: Set<string>;
  awaitingKey: boolean;
  lastKey: string;
}

/** Scans a document JSON.parse accepted; returns the first duplicate key or excess depth, if any. */
export function findJsonShapeProblem(text: string, maxDepth: number): JsonShapeProblem | undefined {
  const stack: Frame[] = [];
  const at = (offset: number, message: string): JsonShapeProblem => ({
    message,
    ...lineAndColumn(text, offset),
  });
  const memberPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    const name = top.object ? top.lastKey : "[]";
    return top.path === "" ? name : top.object ? `${top.path}.${name}` : `${top.path}${name}`;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (stack.length >= maxDepth) return at(i, `is nested more than ${maxDepth} levels deep`);
      stack.push({ object: ch === 123, path: memberPath(), keys: new Set(), awaitingKey: true, lastKey: "" });
    } else if (ch === 125 || ch === 93) stack.pop();
    else if (ch === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object) top.awaitingKey = true;
    } else if (ch === 58 /* : */) {
      const top = stack[stack.length - 1];
      if (top) top.awaitingKey = false;
    } else if (ch === 34 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      const top = stack[stack.length - 1];
      if (!top?.object || !top.awaitingKey) continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      top.lastKey = key;
      if (top.keys.has(key)) {
        const name = top.path === "" ? key : `${top.path}.${key}`;
        return at(start, `has the key "${name}" twice (JSON keeps only the last one; merge them into one)`);
      }
      top.keys.add(key);
    }
  }
  return undefined;
}
