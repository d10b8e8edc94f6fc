// Opens the authorization URL: `$BROWSER <url>` when BROWSER is set (no shell; the URL is one argv element),
// else the platform opener via the `open` package (loaded lazily). Failure is only a notice: the URL is printed.

import { spawn } from "node:child_process";
import { withoutSensitiveEnv } from "../util/sensitive-env.js";

/** The browser does not need API credentials; keep them out of its environment. */
/** The browser gets no credentials of ours, nor any other secret from the environment. */
function browserEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return withoutSensitiveEnv(env);
}

export async function openBrowser(
  url: string,
  env: NodeJS.ProcessEnv,
  notice: (message: string) => void,
): Promise<void> {
  const command = env.BROWSER?.trim();
  if (command) {
    try {
      const child = spawn(command, [url], { stdio: "ignore", detached: true, env: browserEnv(env) });
      child.on("error", (error: NodeJS.ErrnoException) => {
        notice(`could not run BROWSER (${command}): ${error.code ?? "error"}; open the URL above yourself`);
      });
      child.unref();
    } catch (error) {
      notice(
        `could not run BROWSER (${command}): ${(error as NodeJS.ErrnoException).code ?? "error"}; open the URL above yourself`,
      );
    }
    return;
  }
  try {
    const { default: open } = await import("open");
    const child = await open(url, { wait: false });
    child.on("error", () => notice("could not open a browser; open the URL above yourself"));
  } catch {
    notice("could not open a browser; open the URL above yourself");
  }
}
