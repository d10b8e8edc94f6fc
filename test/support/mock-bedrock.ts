// A mock Amazon Bedrock runtime on 127.0.0.1: POST <prefix>/model/<id>/invoke-with-response-stream answers with
// AWS event-stream frames whose `chunk` events carry base64 Messages events; exception frames; a frame with a bad
// CRC. With `credentials`, every request's SigV4 signature is recomputed here (node:crypto, independently of
// the client's library) and logged as valid or not.
//
// Usage:
//   const bedrock = await startMockBedrock({ credentials: { accessKeyId: "AKID", secretAccessKey: "s", region: "us-east-1" } });
//   bedrock.enqueue(reply.text("hi"), bedrockReply.exception("throttlingException", "Too many requests"));
//   ... run claw with CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1 ANTHROPIC_BEDROCK_BASE_URL=bedrock.url ...
//   expect(bedrock.requests[0]?.signature).toBe("valid");
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { type MockReply, messageEvents } from "./mock-anthropic-replies.js";
import { listenOnLoopback } from "./mock-listen.js";

/** Message and http replies of the Anthropic mock's builder (`reply.text`, `reply.toolUse`, `reply.status`), plus: */
export type BedrockReply =
  | MockReply
  /** Some text events, then an exception frame. */
  | { kind: "exception"; type: string; message: string; afterText?: string }
  /** A message whose second frame has a corrupted byte (its CRC no longer matches). */
  | { kind: "corrupt"; text: string };

export const bedrockReply = {
  exception: (type: string, message: string, afterText?: string): BedrockReply => ({
    kind: "exception",
    type,
    message,
    afterText,
  }),
  corruptFrame: (text = "never shown"): BedrockReply => ({ kind: "corrupt", text }),
};

export interface LoggedBedrockRequest {
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary request fields
  body: any;
  /** "absent": no SigV4 Authorization header; "valid"/"invalid": the recomputed signature matched or not. */
  signature: "absent" | "valid" | "invalid";
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface MockBedrock {
  url: string;
  requests: LoggedBedrockRequest[];
  enqueue(...replies: BedrockReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function chunkFrame(event: unknown): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(event)).toString("base64");
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: "chunk" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify({ bytes, p: "abcd" })),
  });
}

function exceptionFrame(type: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ":exception-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "exception" },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

function framesFor(r: BedrockReply): Uint8Array[] {
  if (r.kind === "message") return messageEvents(r).map((e) => chunkFrame(e.data));
  if (r.kind === "corrupt") {
    const frames = messageEvents({ kind: "message", content: [{ type: "text", text: r.text }] }).map((e) =>
      chunkFrame(e.data),
    );
    const bad = Buffer.from(frames[1] as Uint8Array);
    bad[bad.length - 6] = (bad[bad.length - 6] ?? 0) ^ 0xff; // inside the payload: the message CRC fails
    frames[1] = bad;
    return frames;
  }
  if (r.kind === "exception") {
    const frames = r.afterText
      ? messageEvents({ kind: "message", content: [{ type: "text", text: r.afterText }] })
          .slice(0, 3)
          .map((e) => chunkFrame(e.data))
      : [];
    return [...frames, exceptionFrame(r.type, r.message)];
  }
  throw new Error(`mock-bedrock: a "${r.kind}" reply has no Bedrock form`);
}

// AWS's URI encoding: everything but unreserved characters, applied to each path segment once more (non-S3).
const awsEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** Recomputes an AWS SigV4 signature from the request as received. */
export function verifySigV4(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  creds: SigV4Credentials,
  service = "bedrock",
): "absent" | "valid" | "invalid" {
  const auth = headers.authorization;
  if (typeof auth !== "string" || !auth.startsWith("AWS4-HMAC-SHA256 ")) return "absent";
  const fields = Object.fromEntries(
    auth
      .slice("AWS4-HMAC-SHA256 ".length)
      .split(/,\s*/)
      .map((part) => part.split("=") as [string, string]),
  );
  const [keyId, date, region, svc, terminator] = (fields.Credential ?? "").split("/");
  const amzDate = String(headers["x-amz-date"] ?? "");
  if (
    keyId !== creds.accessKeyId ||
    region !== creds.region ||
    svc !== service ||
    terminator !== "aws4_request"
  )
    return "invalid";
  if (!amzDate.startsWith(date ?? "-")) return "invalid";
  const signedHeaders = (fields.SignedHeaders ?? "").split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-amz-date")) return "invalid";
  const [rawPath, query = ""] = path.split("?");
  const canonicalUri = (rawPath ?? "/").split("/").map(awsEncode).join("/");
  const canonicalHeaders = signedHeaders
    .map(
      (name) =>
        `${name}:${String(headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const payloadHash = sha256(body);
  const declared = headers["x-amz-content-sha256"];
  if (declared !== undefined && declared !== payloadHash) return "invalid";
  const canonicalRequest = [
    method,
    canonicalUri,
    query,
    canonicalHeaders,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${creds.secretAccessKey}`, date ?? "");
  for (const part of [region ?? "", service, "aws4_request"]) key = hmac(key, part);
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  return expected === fields.Signature ? "valid" : "invalid";
}

export async function startMockBedrock(
  options: { credentials?: SigV4Credentials } = {},
): Promise<MockBedrock> {
  const queue: BedrockReply[] = [];
  const requests: LoggedBedrockRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        body = undefined;
      }
      const path = req.url ?? "";
      const signature = options.credentials
        ? verifySigV4(req.method ?? "", path, req.headers, raw, options.credentials)
        : typeof req.headers.authorization === "string" && req.headers.authorization.startsWith("AWS4-")
          ? "invalid"
          : "absent";
      requests.push({ path, headers: req.headers, body, signature });
      if (!/\/model\/[^/]+\/invoke(-with-response-stream)?$/.test(path)) {
        res.writeHead(404, {
          "content-type": "application/json",
          "x-amzn-errortype": "UnknownOperationException",
        });
        res.end(JSON.stringify({ message: `mock: no route ${path}` }));
        return;
      }
      if (options.credentials && signature !== "valid") {
        res.writeHead(403, {
          "content-type": "application/json",
          "x-amzn-errortype": "InvalidSignatureException",
        });
        res.end(
          JSON.stringify({
            message: "The request signature we calculated does not match the signature you provided.",
          }),
        );
        return;
      }
      const r = queue.shift() ?? {
        kind: "message",
        content: [{ type: "text", text: "mock: no scripted reply" }],
      };
      if (r.kind === "http") {
        res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
        res.end(r.body ?? "");
        return;
      }
      res.writeHead(200, {
        "content-type": "application/vnd.amazon.eventstream",
        "x-amzn-requestid": "req-mock",
      });
      for (const frame of framesFor(r)) res.write(frame);
      res.end();
    });
  });
  const { port, ...controls } = await listenOnLoopback(server, queue, requests);
  return { url: `http://127.0.0.1:${port}`, ...controls };
}
