// Claude on Google Vertex AI end to end: the built CLI with CLAUDE_CODE_USE_VERTEX=1 against the mock Messages
// server on Vertex's streamRawPredict path, with a service-account key whose token_uri is a local token mock.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";
import { type MockGoogleToken, startMockGoogleToken } from "../support/mock-google-token.js";

const e2e = setupMockApi({
  messagePath: /\/publishers\/anthropic\/models\/[^/]+:(streamRawPredict|rawPredict)$/,
});
let google: MockGoogleToken;
beforeAll(async () => {
  google = await startMockGoogleToken();
});
afterAll(async () => {
  await google.close();
});

/** Vertex selected, a service-account key for the token mock, no Anthropic key anywhere. */
function vertexEnv(extra: Record<string, string | undefined> = {}) {
  return {
    CLAUDE_CODE_USE_VERTEX: "1",
    CLOUD_ML_REGION: "us-east5",
    ANTHROPIC_VERTEX_PROJECT_ID: "claw-test-project",
    ANTHROPIC_VERTEX_BASE_URL: `${e2e.mock.url}/v1`,
    GOOGLE_APPLICATION_CREDENTIALS: google.writeServiceAccount(e2e.sandbox.root),
    CLAW_RETRY_BASE_MS: "1",
    ...extra,
  };
}

const PATH = "/v1/projects/claw-test-project/locations/us-east5/publishers/anthropic/models";

describe("Vertex AI provider", () => {
  it("runs a tool round trip with a bearer token from the service account's token endpoint", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "the secret word is egret\n");
    e2e.mock.enqueue(
      reply.toolUse({ id: "toolu_v1", name: "Read", input: { file_path: "notes.txt" }, chunks: 3 }),
      reply.text("The word is egret."),
    );
    const issuedBefore = google.issued.length;
    const r = await runClaw(["-p", "what is the word?"], { sandbox: e2e.sandbox, env: vertexEnv() });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("The word is egret.\n");
    expect(r.code).toBe(0);
    // One token for the whole run, cached by the library; the assertion it signed was verified by the mock.
    expect(google.issued.length).toBe(issuedBefore + 1);
    const token = google.issued.at(-1);
    const [first, second] = e2e.mock.messageRequests();
    expect(first?.path).toBe(`${PATH}/claude-sonnet-5-5:streamRawPredict`);
    expect(first?.headers.authorization).toBe(`Bearer ${token}`);
    expect(first?.headers["x-api-key"]).toBeUndefined();
    expect(first?.body.anthropic_version).toBe("vertex-2023-10-16");
    expect(first?.body.model).toBeUndefined();
    expect(first?.body.stream).toBe(true);
    expect(second?.headers.authorization).toBe(`Bearer ${token}`);
    const toolResult = second?.body.messages.at(-1).content[0];
    expect(toolResult.tool_use_id).toBe("toolu_v1");
    expect(JSON.stringify(toolResult.content)).toContain("egret");
  });

  it("sends no credentials to a gateway that authenticates (CLAUDE_CODE_SKIP_VERTEX_AUTH)", async () => {
    e2e.mock.enqueue(reply.text("via gateway"));
    const issuedBefore = google.issued.length;
    const r = await runClaw(["-p", "hi", "--model", "opus"], {
      sandbox: e2e.sandbox,
      env: vertexEnv({ CLAUDE_CODE_SKIP_VERTEX_AUTH: "1", GOOGLE_APPLICATION_CREDENTIALS: undefined }),
    });
    expect(r.stdout).toBe("via gateway\n");
    expect(google.issued.length).toBe(issuedBefore);
    const request = e2e.mock.messageRequests()[0];
    expect(request?.path).toBe(`${PATH}/claude-opus-5-5:streamRawPredict`);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("retries a 429 and then answers", async () => {
    e2e.mock.enqueue(reply.rateLimited({ retryAfterMs: 5 }), reply.text("after the rate limit"));
    const r = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: vertexEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("after the rate limit\n");
    expect(e2e.mock.messageRequests()).toHaveLength(2);
  });

  it("names the variable to set when the project is missing, before any request", async () => {
    const r = await runClaw(["-p", "hi"], {
      sandbox: e2e.sandbox,
      env: vertexEnv({ ANTHROPIC_VERTEX_PROJECT_ID: undefined }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("claw: Vertex AI needs a project: set ANTHROPIC_VERTEX_PROJECT_ID.\n");
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it("claw config shows Vertex AI, its region, project and credential source", async () => {
    const r = await runClaw(["config"], { sandbox: e2e.sandbox, env: vertexEnv() });
    expect(r.stdout).toContain(
      `Provider: Google Vertex AI (region us-east5, project claw-test-project, endpoint ${e2e.mock.url}/v1, credentials GOOGLE_APPLICATION_CREDENTIALS)`,
    );
  });
});
