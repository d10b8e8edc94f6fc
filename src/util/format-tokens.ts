// How a token count and a cost read everywhere claw shows one: the REPL's footer and /cost, a subagent's
// progress line, the HTML export.

/** "840", "1.2k", "45k", "1.3M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  // 999,600 would round to "1000k": from there on it is millions.
  if (n < 999_500) return `${(n / 1000).toFixed(n < 9_950 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** "$0.0042" under a cent, else "$1.23". */
export function formatCost(usd: number): string {
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
