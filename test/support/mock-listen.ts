// What the mock provider servers share: listening on a free loopback port, a reply queue with a request log,
// and a close that does not wait for keep-alive connections.
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface QueuedMock<Reply, Logged> {
  requests: Logged[];
  enqueue(...replies: Reply[]): void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 and returns its port with the queue's controls. */
export async function listenOnLoopback<Reply, Logged>(
  server: Server,
  queue: Reply[],
  requests: Logged[],
): Promise<{ port: number } & QueuedMock<Reply, Logged>> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
