// With code splitting, esbuild gives a dynamically imported CommonJS package only a default export (its
// module.exports); the named exports the types promise are found there.

/** The named exports of a dynamically imported package, whether it was bundled from CommonJS or ESM. */
export function namedExports<T>(module: T): T {
  const inner = (module as { default?: unknown }).default;
  return inner !== null && typeof inner === "object" ? ({ ...inner, ...module } as T) : module;
}
