// Claude on Amazon Bedrock end to end: the built CLI with CLAUDE_CODE_USE_BEDROCK=1 against a mock Bedrock runtime
// that speaks AWS event-stream frames and recomputes each request's SigV4 signature.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { reply } from "../support/mock-anthropic.js";
import { bedrockReply, type MockBedrock, startMockBedrock } from "../support/mock-bedrock.js";

const CREDS = { accessKeyId: "AKIDCLAWTEST", secretAccessKey: "claw-test-secret-key", region: "us-east-1" };

let signed: MockBedrock;
let open: MockBedrock;
let sandbox: Sandbox;
beforeAll(async () => {
  signed = await startMockBedrock({ credentials: CREDS });
  open = await startMockBedrock();
});
afterAll(async () => {
  await signed.close();
  await open.close();
});
beforeEach(() => {
  sandbox = makeSandbox();
  signed.reset();
  open.reset();
});
afterEach(() => sandbox.cleanup());

/** Bedrock selected, static test credentials, no Anthropic key anywhere. */
const sigv4Env = (extra: Record<string, string | undefined> = {}) => ({
  CLAUDE_CODE_USE_BEDROCK: "1",
  AWS_REGION: CREDS.region,
  AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
  ANTHROPIC_BEDROCK_BASE_URL: signed.url,
  CLAW_RETRY_BASE_MS: "1",
  ...extra,
});

describe("Bedrock provider", () => {
  it("runs a streamed tool round trip over event-stream frames, each request SigV4-signed", async () => {
    writeFileSync(join(sandbox.workspace, "notes.txt"), "the secret word is heron\n");
    signed.enqueue(
      reply.toolUse({ id: "toolu_b1", name: "Read", input: { file_path: "notes.txt" }, chunks: 4 }),
      reply.text("The word is heron.", { chunks: 3 }),
    );
    const r = await runClaw(["-p", "what is the word?", "--model", "sonnet"], { sandbox, env: sigv4Env() });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("The word is heron.\n");
    expect(r.code).toBe(0);
    expect(signed.requests.map((q) => q.signature)).toEqual(["valid", "valid"]);
    const first = signed.requests[0];
    // The alias becomes the region's cross-region inference profile; the id travels in the path, not the body.
    expect(first?.path).toBe("/model/us.anthropic.claude-sonnet-5-5-v1%3A0/invoke-with-response-stream");
    expect(first?.body.anthropic_version).toBe("bedrock-2023-05-31");
    expect(first?.body.model).toBeUndefined();
    expect(first?.body.stream).toBeUndefined();
    expect(first?.body.system.at(-1).cache_control).toEqual({ type: "ephemeral" });
    const toolResult = signed.requests[1]?.body.messages.at(-1).content[0];
    expect(toolResult.type).toBe("tool_result");
    expect(toolResult.tool_use_id).toBe("toolu_b1");
    expect(JSON.stringify(toolResult.content)).toContain("heron");
  });

  it("sends an inference profile as given and signs a session token too", async () => {
    signed.enqueue(reply.text("ok"));
    const profile = "eu.anthropic.claude-haiku-5-5-v1:0";
    const r = await runClaw(["-p", "hi", "--model", profile], {
      sandbox,
      env: sigv4Env({ AWS_SESSION_TOKEN: "session-token-xyz" }),
    });
    expect(r.stdout).toBe("ok\n");
    expect(signed.requests[0]?.path).toBe(
      `/model/${encodeURIComponent(profile)}/invoke-with-response-stream`,
    );
    expect(signed.requests[0]?.headers["x-amz-security-token"]).toBe("session-token-xyz");
    expect(signed.requests[0]?.signature).toBe("valid");
  });

  it("a request signed with the wrong secret is refused with one line naming the AWS credentials", async () => {
    const r = await runClaw(["-p", "hi"], {
      sandbox,
      env: sigv4Env({ AWS_SECRET_ACCESS_KEY: "wrong-secret" }),
    });
    expect(r.code).toBe(1);
    expect(signed.requests[0]?.signature).toBe("invalid");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^claw: Permission denied \(403 InvalidSignatureException\) for AWS_ACCESS_KEY_ID/,
    );
    expect(r.stderr).not.toContain("wrong-secret");
  });

  it("uses a Bedrock API key as a bearer token instead of signing", async () => {
    open.enqueue(reply.text("via api key"));
    const r = await runClaw(["-p", "hi"], {
      sandbox,
      env: {
        CLAUDE_CODE_USE_BEDROCK: "1",
        AWS_REGION: "eu-west-1",
        AWS_BEARER_TOKEN_BEDROCK: "bedrock-api-key-789",
        ANTHROPIC_BEDROCK_BASE_URL: open.url,
      },
    });
    expect(r.stdout).toBe("via api key\n");
    expect(open.requests[0]?.headers.authorization).toBe("Bearer bedrock-api-key-789");
    expect(open.requests[0]?.path).toMatch(/^\/model\/eu\.anthropic\.claude-sonnet-5-5-v1%3A0\//);
  });

  it("sends no credentials at all to a gateway that signs (CLAUDE_CODE_SKIP_BEDROCK_AUTH), keeping its path", async () => {
    open.enqueue(reply.text("via gateway"));
    const r = await runClaw(["-p", "hi"], {
      sandbox,
      env: {
        CLAUDE_CODE_USE_BEDROCK: "1",
        AWS_REGION: "us-west-2",
        CLAUDE_CODE_SKIP_BEDROCK_AUTH: "1",
        ANTHROPIC_BEDROCK_BASE_URL: `${open.url}/bedrock-gw`,
      },
    });
    expect(r.stdout).toBe("via gateway\n");
    expect(open.requests[0]?.headers.authorization).toBeUndefined();
    expect(open.requests[0]?.signature).toBe("absent");
    expect(open.requests[0]?.path).toMatch(/^\/bedrock-gw\/model\//);
  });

  it("retries after a throttling exception frame, discarding the partial text", async () => {
    signed.enqueue(
      bedrockReply.exception("throttlingException", "Too many requests, please wait", "partial "),
      reply.text("after throttling"),
    );
    const r = await runClaw(["-p", "hi"], { sandbox, env: sigv4Env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("after throttling\n");
    expect(signed.requests).toHaveLength(2);
  });

  it("fails cleanly, in one line, on frames whose CRC does not match", async () => {
    signed.enqueue(bedrockReply.corruptFrame("NEVER-SHOWN"), bedrockReply.corruptFrame("NEVER-SHOWN"));
    const r = await runClaw(["-p", "hi"], { sandbox, env: sigv4Env({ CLAW_MAX_ATTEMPTS: "2" }) });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("NEVER-SHOWN");
    // One retry notice, then the error: each one line, no stack.
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^claw: Bedrock sent a corrupt event-stream frame \(checksum mismatch\); retrying/,
    );
    expect(lines[1]).toMatch(
      /^claw: Gave up after 2 attempts: .*corrupt event-stream frame \(checksum mismatch\)/,
    );
    expect(signed.requests).toHaveLength(2);
  });

  it("names the variable to set when no region is given, before any request", async () => {
    const r = await runClaw(["-p", "hi"], { sandbox, env: sigv4Env({ AWS_REGION: undefined }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("claw: Bedrock needs a region: set AWS_REGION (for example us-east-1).\n");
    expect(signed.requests).toHaveLength(0);
  });

  it("claw config shows Bedrock, its region and where the credentials come from, not the secret", async () => {
    const r = await runClaw(["config"], { sandbox, env: sigv4Env() });
    expect(r.stdout).toContain(
      `Provider: Amazon Bedrock (region us-east-1, endpoint ${signed.url}, credentials AWS_ACCESS_KEY_ID)`,
    );
    expect(r.stdout).not.toContain(CREDS.secretAccessKey);
  });
});
