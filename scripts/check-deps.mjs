#!/usr/bin/env node
// The dependency gate (RELIABILITY-CHECKS H2): every installed copy of these packages is at least
// the version that fixes the advisories named, read from its package.json under node_modules
// (nested copies included). Exits 1 naming each one that is not. Fast: it reads a few files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// ACCORD_DEPS_ROOT: another workspace to check (the gate's own test gives it one).
const root = process.env.ACCORD_DEPS_ROOT || join(dirname(fileURLToPath(import.meta.url)), "..");

/** [name, minimum, ranges refused ([from, below]), why, required] */
const RULES = [
  [
    "pdfjs-dist",
    "4.2.67",
    [["5.6.83", "5.8.0"]],
    "CVE-2024-4367 (below 4.2.67); GHSA-hq66-cqwq-w95j (5.6.83–5.7.x)",
    true,
  ],
  ["fastify", "5.7.3", [], "GHSA-jx2c-rxcm-jvmq, GHSA-mrq3-vjjr-p77c", true],
  ["@fastify/multipart", "10.1.1", [], "multipart parser advisories", true],
  ["@fastify/busboy", "3.2.1", [], "busboy parser advisories", false],
];

const parse = (v) => {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) throw new Error(`not a version: ${v}`);
  return m.slice(1).map(Number);
};
const compare = (a, b) => {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

/** Every node_modules folder of the workspace: the root's, the packages', and nested ones. */
function* nodeModulesDirs(dir) {
  if (!existsSync(dir)) return;
  yield dir;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === ".bin" || entry.name === ".cache") continue;
    const packages = entry.name.startsWith("@")
      ? readdirSync(join(dir, entry.name), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(dir, entry.name, e.name))
      : [join(dir, entry.name)];
    for (const p of packages) yield* nodeModulesDirs(join(p, "node_modules"));
  }
}

const dirs = [
  ...nodeModulesDirs(join(root, "node_modules")),
  ...readdirSync(join(root, "packages")).flatMap((p) => [
    ...nodeModulesDirs(join(root, "packages", p, "node_modules")),
  ]),
];

const problems = [];
const seen = [];
for (const [name, minimum, refused, why, required] of RULES) {
  const copies = dirs
    .map((d) => join(d, name, "package.json"))
    .filter((f) => existsSync(f))
    .map((f) => ({ file: relative(root, f), version: JSON.parse(readFileSync(f, "utf8")).version }));
  if (!copies.length && required) problems.push(`${name} is not installed`);
  for (const { file, version } of copies) {
    seen.push(`${name}@${version}`);
    if (compare(version, minimum) < 0)
      problems.push(`${file}: ${name}@${version} is below ${minimum} (${why})`);
    for (const [from, below] of refused)
      if (compare(version, from) >= 0 && compare(version, below) < 0)
        problems.push(
          `${file}: ${name}@${version} is in the refused range ${from} to below ${below} (${why})`,
        );
  }
}

if (problems.length) {
  console.error(`Dependency gate failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`Dependency gate: ${seen.join(", ")} meet their minimum versions`);
