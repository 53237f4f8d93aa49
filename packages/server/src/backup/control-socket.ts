import { chmodSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";

/**
 * The server's control socket, `<dataDir>/accord.sock`: how `accord backup` reaches a running
 * server that holds the embedded database (PGlite runs in one process, which keeps the data
 * directory's lock: no second process may open it, even to read). Only the account that owns the
 * data directory can connect (the socket is mode 0600), the same account that could read the
 * files anyway. One request a connection: a JSON line in, a JSON line out.
 */
export interface ControlRequest {
  command: "backup";
  out: string;
}

export type ControlReply = { ok: true; message: string } | { ok: false; error: string };

export const controlSocketPath = (dataDir: string) => join(dataDir, "accord.sock");

/** Listens on the data directory's control socket; the caller holds the data directory's lock. */
export async function startControlSocket(
  dataDir: string,
  handle: (request: ControlRequest) => Promise<string>,
): Promise<Server> {
  const path = controlSocketPath(dataDir);
  // Left by a process that died: we hold the lock, so no live server listens on it.
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", () => {});
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf("\n");
      if (end < 0) {
        if (buffer.length > 64 * 1024) socket.destroy();
        return;
      }
      const line = buffer.slice(0, end);
      socket.removeAllListeners("data");
      const reply = (r: ControlReply) => socket.end(`${JSON.stringify(r)}\n`);
      let request: ControlRequest;
      try {
        request = JSON.parse(line) as ControlRequest;
        if (request.command !== "backup" || typeof request.out !== "string")
          throw new Error("unknown request");
      } catch (e) {
        reply({ ok: false, error: `Bad request: ${(e as Error).message}` });
        return;
      }
      handle(request).then(
        (message) => reply({ ok: true, message }),
        (e: unknown) => reply({ ok: false, error: (e as Error).message }),
      );
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    // The socket is bound within listen(): made under this mask, it is never open to others.
    const mask = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off("error", fail);
        ok();
      });
    } finally {
      process.umask(mask);
    }
  });
  chmodSync(path, 0o600);
  server.unref();
  return server;
}

/** Sends one request to a running server's control socket and waits for its answer. */
export function sendControlRequest(dataDir: string, request: ControlRequest): Promise<ControlReply> {
  return new Promise((ok, fail) => {
    const socket = connect(controlSocketPath(dataDir));
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", fail);
    socket.on("data", (chunk: string) => {
      buffer += chunk;
    });
    socket.on("end", () => {
      try {
        ok(JSON.parse(buffer) as ControlReply);
      } catch {
        fail(new Error(`The server answered something unexpected on ${controlSocketPath(dataDir)}`));
      }
    });
    socket.write(`${JSON.stringify(request)}\n`);
  });
}
