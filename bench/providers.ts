// `claw -p hello` start-up with each provider selected, against its loopback mock: what loading a provider's
// vendor libraries (AWS signing and credential chain, google-auth-library) adds to the Anthropic path.
import { join } from "node:path";
import { reply, startMockAnthropic } from "../test/support/mock-anthropic.js";
import { startMockBedrock } from "../test/support/mock-bedrock.js";
import { startMockGoogleToken } from "../test/support/mock-google-token.js";
import { chat, startMockOpenAi } from "../test/support/mock-openai.js";
import { alternate, CLAW_COMMAND, measureRuns, mib, range, runCommand } from "./measure.js";

const AWS = { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret", region: "us-east-1" };

export async function providerStartup(
  pairs: number,
  home: string,
  workspace: string,
  row: (name: string, value: string, target: string) => void,
): Promise<void> {
  const anthropic = await startMockAnthropic({ defaultReply: reply.text("hello") });
  const vertexMock = await startMockAnthropic({
    defaultReply: reply.text("hello"),
    messagePath: /:(stream)?[rR]awPredict$/,
  });
  const bedrock = await startMockBedrock({ credentials: AWS });
  const bedrockOpen = await startMockBedrock();
  const google = await startMockGoogleToken();
  const openai = await startMockOpenAi();
  const base = { PATH: process.env.PATH, HOME: home, CLAUDE_CONFIG_HOME: join(home, ".claude") };
  const vertex = {
    CLAUDE_CODE_USE_VERTEX: "1",
    CLOUD_ML_REGION: "us-east5",
    ANTHROPIC_VERTEX_PROJECT_ID: "bench",
    ANTHROPIC_VERTEX_BASE_URL: `${vertexMock.url}/v1`,
  };
  const bedrockEnv = {
    CLAUDE_CODE_USE_BEDROCK: "1",
    AWS_REGION: AWS.region,
    ANTHROPIC_BEDROCK_BASE_URL: bedrock.url,
  };
  const cases: Array<[string, Record<string, string>]> = [
    ["Anthropic API", { ANTHROPIC_API_KEY: "bench-key", ANTHROPIC_BASE_URL: anthropic.url }],
    [
      "Bedrock, SigV4 (AWS credential chain)",
      { ...bedrockEnv, AWS_ACCESS_KEY_ID: AWS.accessKeyId, AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey },
    ],
    [
      "Bedrock, API key",
      { ...bedrockEnv, ANTHROPIC_BEDROCK_BASE_URL: bedrockOpen.url, AWS_BEARER_TOKEN_BEDROCK: "k" },
    ],
    [
      "Vertex AI, service account (token fetched)",
      { ...vertex, GOOGLE_APPLICATION_CREDENTIALS: google.writeServiceAccount(home) },
    ],
    ["Vertex AI, gateway (skip auth)", { ...vertex, CLAUDE_CODE_SKIP_VERTEX_AUTH: "1" }],
    ["OpenAI-compatible", { OPENAI_BASE_URL: openai.url, ANTHROPIC_MODEL: "openai/gpt-4o" }],
  ];
  try {
    const [first, ...others] = cases;
    const run = (env: Record<string, string>, measure: boolean) => () => {
      openai.enqueue(chat.text("hello"));
      return runCommand([...CLAW_COMMAND, "-p", "hello"], {
        env: { ...base, ...env },
        cwd: workspace,
        measure,
      });
    };
    const baseline = await measureRuns(5, run(first![1], true));
    row(
      `claw -p hello, ${first![0]}`,
      `CPU ${range(baseline.cpuMs)}, peak RSS ${mib(baseline.rssKiB)}`,
      "baseline",
    );
    for (const [name, env] of others) {
      // Alternated with the Anthropic path, so machine load falls on both sides alike.
      const paired = await alternate(pairs, run(first![1], false), run(env, false));
      const measured = await measureRuns(5, run(env, true));
      row(
        `claw -p hello, ${name}`,
        `wall +${range(paired.deltas)} vs Anthropic, CPU ${range(measured.cpuMs)}, peak RSS ${mib(measured.rssKiB)}`,
        "—",
      );
    }
  } finally {
    await Promise.all([
      anthropic.close(),
      vertexMock.close(),
      bedrock.close(),
      google.close(),
      openai.close(),
    ]);
  }
}
