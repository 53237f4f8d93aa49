import { mkdtempSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { controlSocketPath, sendControlRequest, startControlSocket } from "../src/backup/control-socket.js";

/** How `accord backup` reaches a running server that holds the embedded database (check D6). */
describe("the control socket", () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-sock-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("D6: only its owner may connect; a backup request is answered, a failure reported", async () => {
    const asked: string[] = [];
    const server = await startControlSocket(dir, async ({ out }) => {
      asked.push(out);
      if (out.endsWith("bad")) throw new Error(`${out} is not empty`);
      return `Backed up to ${out}`;
    });
    try {
      expect(statSync(controlSocketPath(dir)).mode & 0o777).toBe(0o600);
      expect(await sendControlRequest(dir, { command: "backup", out: "/tmp/x" })).toEqual({
        ok: true,
        message: "Backed up to /tmp/x",
      });
      expect(await sendControlRequest(dir, { command: "backup", out: "/tmp/bad" })).toEqual({
        ok: false,
        error: "/tmp/bad is not empty",
      });
      // Anything else is refused without reaching the handler.
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(controlSocketPath(dir));
        let text = "";
        socket.on("data", (d) => (text += d));
        socket.on("end", () => resolve(text));
        socket.write(`${JSON.stringify({ command: "drop everything" })}\n`);
      });
      expect(JSON.parse(reply)).toMatchObject({ ok: false, error: expect.stringMatching(/^Bad request/) });
      expect(asked).toEqual(["/tmp/x", "/tmp/bad"]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
