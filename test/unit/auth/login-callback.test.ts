import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startCallbackListener } from "../../../src/cli/login-callback.js";

const STATE = "state-value-of-sufficient-length-1234567890";

describe("login callback listener", () => {
  it("binds 127.0.0.1, 404s other paths, settles on /callback, then refuses further callbacks", async () => {
    const notices: string[] = [];
    const listener = await startCallbackListener({
      preferredPort: undefined,
      expectedState: STATE,
      notice: (m) => notices.push(m),
    });
    try {
      expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/callback`);
      const other = await fetch(`http://127.0.0.1:${listener.port}/favicon.ico`);
      expect(other.status).toBe(404);
      const ok = await fetch(`${listener.redirectUri}?code=abc&state=${STATE}`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("You can close this window");
      expect(await listener.outcome).toEqual({ kind: "code", code: "abc" });
      const late = await fetch(`${listener.redirectUri}?code=zzz&state=${STATE}`);
      expect(late.status).toBe(410);
      expect(notices).toEqual([]);
    } finally {
      await listener.close();
    }
    await expect(fetch(listener.redirectUri)).rejects.toThrow();
  });

  it("answers a mismatched state with 400 and an escaped error description", async () => {
    const listener = await startCallbackListener({
      preferredPort: undefined,
      expectedState: STATE,
      notice: () => {},
    });
    try {
      const bad = await fetch(`${listener.redirectUri}?code=abc&state=wrong`);
      expect(bad.status).toBe(400);
      expect(await listener.outcome).toMatchObject({ kind: "invalid" });
    } finally {
      await listener.close();
    }
    const second = await startCallbackListener({
      preferredPort: undefined,
      expectedState: STATE,
      notice: () => {},
    });
    try {
      const denied = await fetch(
        `${second.redirectUri}?error=access_denied&error_description=%3Cscript%3E&state=${STATE}`,
      );
      expect(denied.status).toBe(400);
      expect(await denied.text()).not.toContain("<script>");
    } finally {
      await second.close();
    }
  });

  it("moves to an ephemeral port with a notice when the configured one is taken", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as AddressInfo).port;
    const notices: string[] = [];
    const listener = await startCallbackListener({
      preferredPort: port,
      expectedState: STATE,
      notice: (m) => notices.push(m),
    });
    try {
      expect(listener.port).not.toBe(port);
      expect(notices).toEqual([`callback port ${port} is busy; listening on port ${listener.port} instead`]);
    } finally {
      await listener.close();
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });
});
