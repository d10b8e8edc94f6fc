// The two things claw needs from Ink that its API does not offer: the frame currently on screen, and a way to
// erase it and have Ink forget it (as Ink itself does on resize). Ink is pinned (package-lock), and every access
// is checked, so a different Ink degrades to doing nothing rather than to a crash.
import instances from "../../node_modules/ink/build/instances.js";

interface InkState {
  lastOutput?: unknown;
  lastOutputToRender?: unknown;
  log?: { clear?: unknown };
}

function inkFor(stdout: NodeJS.WriteStream): InkState | undefined {
  return instances.get(stdout) as unknown as InkState | undefined;
}

/** The live frame Ink last drew (without its trailing newline), or "" when unknown. */
export function currentFrame(stdout: NodeJS.WriteStream): string {
  const frame = inkFor(stdout)?.lastOutput;
  return typeof frame === "string" ? frame : "";
}

/**
 * Erases the live frame and makes Ink forget it, so whatever is written next stays on screen and Ink's next
 * render draws the frame afresh below it. Returns false when this Ink does not look as expected.
 */
export function eraseFrame(stdout: NodeJS.WriteStream): boolean {
  const ink = inkFor(stdout);
  const clear = ink?.log?.clear;
  if (!ink || typeof clear !== "function" || typeof ink.lastOutput !== "string") return false;
  clear.call(ink.log);
  ink.lastOutput = "";
  ink.lastOutputToRender = "";
  return true;
}
