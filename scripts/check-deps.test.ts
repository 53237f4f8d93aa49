import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** H2: the dependency gate passes on this workspace and refuses vulnerable versions. */

const script = join(import.meta.dirname, "check-deps.mjs");
const run = (root?: string) => {
  try {
    const out = execFileSync(process.execPath, [script], {
      env: { ...process.env, ACCORD_DEPS_ROOT: root ?? "" },
      encoding: "utf8",
      stdio: "pipe",
    });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, out: err.stderr };
  }
};

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A workspace whose node_modules holds these packages at these versions (`a>b`: b nested in a). */
function workspace(versions: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), "accord-deps-"));
  made.push(root);
  mkdirSync(join(root, "packages", "server"), { recursive: true });
  for (const [path, version] of Object.entries(versions)) {
    const dir = join(
      root,
      "node_modules",
      ...path.split(">").flatMap((p, i) => (i ? ["node_modules", p] : [p])),
    );
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: path.split(">").at(-1), version }));
  }
  return root;
}

const SAFE = {
  "pdfjs-dist": "4.10.38",
  fastify: "5.7.3",
  "@fastify/multipart": "10.1.1",
  "@fastify/busboy": "3.2.1",
};

describe("H2: dependency gate", () => {
  it("H2: passes on the installed packages", () => {
    const { code, out } = run();
    expect(code, out).toBe(0);
    expect(out).toMatch(/fastify@5\.\d+\.\d+/);
  });

  it("H2: passes at exactly the minimum versions and refuses each vulnerable one, nested copies too", () => {
    expect(run(workspace(SAFE)).code).toBe(0);
    for (const [bad, message] of [
      [{ "pdfjs-dist": "4.2.66" }, /pdfjs-dist@4\.2\.66 is below 4\.2\.67/],
      [{ "pdfjs-dist": "5.6.83" }, /refused range 5\.6\.83/],
      [{ "pdfjs-dist": "5.7.284" }, /refused range/],
      [{ fastify: "5.7.2" }, /fastify@5\.7\.2 is below 5\.7\.3/],
      [{ "@fastify/multipart": "10.1.0" }, /multipart@10\.1\.0 is below/],
      [
        { "some-lib>@fastify/busboy": "3.2.0" },
        /some-lib\/node_modules\/@fastify\/busboy.*3\.2\.0 is below 3\.2\.1/,
      ],
    ] as const) {
      const { code, out } = run(workspace({ ...SAFE, ...bad }));
      expect(code, JSON.stringify(bad)).toBe(1);
      expect(out).toMatch(message);
    }
    // 5.8.0 is past the refused range; a missing fastify is refused.
    expect(run(workspace({ ...SAFE, "pdfjs-dist": "5.8.0" })).code).toBe(0);
    const { fastify: _, ...noFastify } = SAFE;
    expect(run(workspace(noFastify)).out).toMatch(/fastify is not installed/);
  });
});
