// A reader and evaluator for the small part of Seatbelt's profile language (SBPL) claw generates, so tests can
// ask a generated profile what it decides instead of searching its text. Reading follows TinyScheme's string
// rules (a backslash escapes the next character); deciding follows SBPL's: the last matching rule wins.

export type Sexp = string | { str: string } | { regex: string } | Sexp[];

export function parseSbpl(text: string): Sexp[] {
  let at = 0;
  const readString = (): string => {
    let out = "";
    at++; // opening quote
    while (at < text.length && text[at] !== '"') {
      if (text[at] === "\\") at++;
      out += text[at++];
    }
    if (text[at] !== '"') throw new Error("unterminated string");
    at++;
    return out;
  };
  const read = (): Sexp => {
    while (/\s/.test(text[at] ?? "")) at++;
    const c = text[at];
    if (c === undefined) throw new Error("unexpected end of profile");
    if (c === "(") {
      at++;
      const list: Sexp[] = [];
      for (;;) {
        while (/\s/.test(text[at] ?? "")) at++;
        if (text[at] === undefined) throw new Error("unbalanced (");
        if (text[at] === ")") {
          at++;
          return list;
        }
        list.push(read());
      }
    }
    if (c === ")") throw new Error(`unbalanced ) at ${at}`);
    if (c === '"') return { str: readString() };
    if (c === "#" && text[at + 1] === '"') {
      at++;
      return { regex: readString() };
    }
    const start = at;
    while (at < text.length && !/[\s()"]/.test(text[at] ?? "")) at++;
    return text.slice(start, at);
  };
  const forms: Sexp[] = [];
  for (;;) {
    while (/\s/.test(text[at] ?? "")) at++;
    if (at >= text.length) return forms;
    forms.push(read());
  }
}

export interface SbplRule {
  action: "allow" | "deny";
  operations: string[];
  filters: Sexp[][];
}

export function sbplRules(text: string): SbplRule[] {
  const rules: SbplRule[] = [];
  for (const form of parseSbpl(text)) {
    if (!Array.isArray(form) || (form[0] !== "allow" && form[0] !== "deny")) continue;
    const operations = form.slice(1).filter((item): item is string => typeof item === "string");
    const filters = form.slice(1).filter((item): item is Sexp[] => Array.isArray(item));
    rules.push({ action: form[0], operations, filters });
  }
  return rules;
}

function operationMatches(pattern: string, operation: string): boolean {
  if (pattern === "default") return true;
  return pattern.endsWith("*") ? operation.startsWith(pattern.slice(0, -1)) : pattern === operation;
}

const text = (item: Sexp | undefined): string => {
  if (item && typeof item === "object" && "str" in item) return item.str;
  if (item && typeof item === "object" && "regex" in item) return item.regex;
  throw new Error(`expected a string, got ${JSON.stringify(item)}`);
};

/** A file path for file-* operations, or `host:port` for network-outbound. */
function filterMatches(filter: Sexp[], target: string): boolean {
  const [kind, ...args] = filter;
  if (kind === "literal") return target === text(args[0]);
  if (kind === "subpath") {
    const base = text(args[0]);
    return target === base || target.startsWith(`${base}/`);
  }
  if (kind === "regex") return new RegExp(text(args[0])).test(target);
  if (kind === "remote" && args[0] === "ip") {
    const [host, port] = text(args[1]).split(":");
    const [targetHost, targetPort] = target.split(":");
    const local = (name: string | undefined) =>
      name === "localhost" || name === "127.0.0.1" || name === "::1";
    return (
      (host === "*" || (host === "localhost" && local(targetHost))) && (port === "*" || port === targetPort)
    );
  }
  throw new Error(`filter the test evaluator does not know: ${JSON.stringify(filter)}`);
}

/** What the profile decides for `operation` on `target`: the last rule whose operation and filters match. */
export function sbplDecide(profile: string, operation: string, target: string): "allow" | "deny" {
  let decision: "allow" | "deny" | undefined;
  for (const rule of sbplRules(profile)) {
    if (!rule.operations.some((pattern) => operationMatches(pattern, operation))) continue;
    if (rule.filters.length > 0 && !rule.filters.some((filter) => filterMatches(filter, target))) continue;
    decision = rule.action;
  }
  if (!decision) throw new Error(`no rule decides ${operation} ${target}`);
  return decision;
}
