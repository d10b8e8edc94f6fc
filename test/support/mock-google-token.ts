// A mock Google OAuth token endpoint on 127.0.0.1 for service-account credentials: it checks the JWT-bearer
// assertion's RS256 signature against the service account's public key and hands out numbered access tokens.
//
// Usage:
//   const google = await startMockGoogleToken();
//   const keyFile = google.writeServiceAccount(dir);          // a service-account JSON whose token_uri is google.url
//   ... run claw with GOOGLE_APPLICATION_CREDENTIALS=keyFile ...
//   expect(google.issued).toEqual(["ya29.mock-1"]);
import { createVerify, generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";

export interface MockGoogleToken {
  /** The token endpoint, as a key file's token_uri. */
  url: string;
  /** Access tokens handed out, in order. */
  issued: string[];
  /** Assertions whose signature or claims did not check out. */
  rejected: number;
  /** Writes a service-account key file naming this endpoint; returns its path. */
  writeServiceAccount(dir: string): string;
  close(): Promise<void>;
}

const CLIENT_EMAIL = "claw-test@mock-project.iam.gserviceaccount.com";

export async function startMockGoogleToken(): Promise<MockGoogleToken> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const issued: string[] = [];
  let rejected = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const assertion = form.get("assertion") ?? "";
      if (
        req.method !== "POST" ||
        form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" ||
        !validAssertion(assertion)
      ) {
        rejected++;
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "invalid_grant", error_description: "Invalid JWT Signature." }));
        return;
      }
      const token = `ya29.mock-${issued.length + 1}`;
      issued.push(token);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: "Bearer" }));
    });
  });
  const validAssertion = (jwt: string): boolean => {
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return false;
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(publicKey, Buffer.from(signature, "base64url"))) return false;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    return claims.iss === CLIENT_EMAIL && String(claims.scope ?? "").includes("cloud-platform");
  };
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    url,
    issued,
    get rejected() {
      return rejected;
    },
    writeServiceAccount(dir: string) {
      const path = join(dir, "service-account.json");
      const key = {
        type: "service_account",
        project_id: "mock-project",
        private_key_id: "mock-key-1",
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        client_email: CLIENT_EMAIL,
        client_id: "1234567890",
        token_uri: url,
      };
      writeFileSync(path, JSON.stringify(key, null, 2), { mode: 0o600 });
      return path;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
