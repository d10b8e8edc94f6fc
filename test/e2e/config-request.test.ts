// End to end: what settings and instruction files put into real requests (dist/claw.js -p against the mock API).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const SECRET = "tok-SETTINGS-SECRET-9f3a1c";
const e2e = setupMockApi({ sandboxPrefix: "claw-config-req-" });

function write(path: string, content: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

describe("settings and instructions in requests", () => {
  it("sends instruction files and the settings model, gives settings env to tools, and never sends the secret", async () => {
    write(join(e2e.sandbox.configHome, "settings.json"), {
      model: "model-from-settings",
      env: { MY_SERVICE_TOKEN: SECRET },
      permissions: { allow: ["Bash"] },
    });
    write(join(e2e.sandbox.configHome, "CLAUDE.md"), "USER-INSTRUCTION-MARKER");
    write(join(e2e.sandbox.workspace, "CLAUDE.md"), "PROJECT-INSTRUCTION-MARKER @rules.md");
    write(join(e2e.sandbox.workspace, "rules.md"), "IMPORTED-INSTRUCTION-MARKER");
    e2e.mock.enqueue(
      // Proves the variable reached the tool's shell without echoing its value back to the model.
      reply.toolUse({
        name: "Bash",
        input: { command: `[ "\${#MY_SERVICE_TOKEN}" -eq ${SECRET.length} ] && echo ENV-LENGTH-OK` },
        id: "t1",
      }),
      reply.text("done"),
    );
    const r = await runClaw(["-p", "check the env"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code, r.stderr).toBe(0);
    const requests = e2e.mock.messageRequests();
    expect(requests).toHaveLength(2);
    const first = requests[0]?.body as { model: string; system: unknown };
    expect(first.model).toBe("model-from-settings");
    const system = JSON.stringify(first.system);
    for (const marker of [
      "You are claw",
      "USER-INSTRUCTION-MARKER",
      "PROJECT-INSTRUCTION-MARKER",
      "IMPORTED-INSTRUCTION-MARKER",
    ])
      expect(system).toContain(marker);
    expect(JSON.stringify(requests[1]?.body.messages)).toContain("ENV-LENGTH-OK");
    for (const request of e2e.mock.requests) {
      expect(request.rawBody).not.toContain(SECRET);
      expect(JSON.stringify(request.headers)).not.toContain(SECRET);
    }
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});
