// Merges validated settings layers (user < project < local < --settings) and remembers which layer set each
// value: later scalars win, objects merge deeply, permission rule lists and hook lists add up (deduplicated).

import { isRecord } from "../util/is-record.js";

export interface MergeState {
  value: Record<string, unknown>;
  /** Key path ("permissions.allow[2]", "env.FOO", "model") → the source that set it. */
  sources: Map<string, string>;
}

export function emptyMergeState(): MergeState {
  return { value: {}, sources: new Map() };
}

function forgetBelow(sources: Map<string, string>, path: string): void {
  for (const key of [...sources.keys()]) {
    if (key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`)) sources.delete(key);
  }
}

function mergeInto(
  target: Record<string, unknown>,
  layer: Record<string, unknown>,
  path: string,
  source: string,
  sources: Map<string, string>,
): void {
  for (const [key, incoming] of Object.entries(layer)) {
    // JSON.parse makes "__proto__" an own key; assigning it would swap the target's prototype.
    if (incoming === undefined || key === "__proto__") continue;
    const here = childPath(path, key);
    const existing = target[key];
    if (isConcatenatedPath(here) && Array.isArray(incoming)) {
      const list = Array.isArray(existing) ? existing : [];
      if (!Array.isArray(existing)) forgetBelow(sources, here);
      const seen = new Set(list.map((item) => JSON.stringify(item)));
      for (const item of incoming) {
        const id = JSON.stringify(item);
        if (seen.has(id)) continue;
        seen.add(id);
        sources.set(childPath(here, list.length), source);
        list.push(structuredClone(item));
      }
      target[key] = list;
    } else if (isRecord(incoming)) {
      if (!isRecord(existing)) {
        forgetBelow(sources, here);
        target[key] = {};
      }
      // An empty object still counts as "set here", so `claw config` can show it.
      if (Object.keys(incoming).length === 0 && !sources.has(here)) sources.set(here, source);
      mergeInto(target[key] as Record<string, unknown>, incoming, here, source, sources);
    } else {
      forgetBelow(sources, here);
      target[key] = structuredClone(incoming);
      sources.set(here, source);
    }
  }
}

/** Applies one layer on top of the state (mutates and returns it). */
export function mergeLayer(state: MergeState, layer: Record<string, unknown>, source: string): MergeState {
  mergeInto(state.value, layer, "", source, state.sources);
  return state;
}

/** The source of a value or, for a member of a value set as a whole, of its nearest recorded ancestor. */
export function sourceOf(sources: ReadonlyMap<string, string>, path: string): string | undefined {
  let current = path;
  while (current !== "") {
    const found = sources.get(current);
    if (found !== undefined) return found;
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    current = cut <= 0 ? "" : current.slice(0, cut);
  }
  return undefined;
}

/** Lists that add up across settings files instead of the later file replacing the earlier one. */
export function isConcatenatedPath(path: string): boolean {
  return (
    path === "permissions.allow" ||
    path === "permissions.ask" ||
    path === "permissions.deny" ||
    path === "permissions.additionalDirectories" ||
    path === "sandbox.excludedCommands" ||
    path === "sandbox.network.allowedDomains" ||
    /^hooks\.[^.[\]]+$/.test(path)
  );
}

/** The key path of a member: "a.b", "a[2]". */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}
