/**
 * Builds the bundled public dataset, data/bundle/registry.json, from the source files in
 * data/sources (copies of ../shared/data; see data/SOURCES.md for provenance and the mapping
 * rules). Pure and deterministic: the same sources always give byte-identical output.
 *
 *   npm run dataset              rebuild data/bundle/registry.json from data/sources
 *   npm run dataset -- --refresh re-copy the source files from ../shared/data first
 *   npm run dataset -- --check   fail if the committed bundle is out of date
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildWithReport } from "./dataset/build.js";
import { BUNDLE_PATH, DEFAULT_SOURCES_DIR, ROOT, SHARED_PATHS, SOURCE_FILES } from "./dataset/files.js";
import { serializeBundle } from "./dataset/output.js";
import { cmp } from "./dataset/shared.js";

function refreshSources(sourcesDir: string, force: boolean): void {
  const shared = path.resolve(ROOT, "..", "shared", "data");
  mkdirSync(sourcesDir, { recursive: true });
  for (const [key, file] of Object.entries(SOURCE_FILES) as [keyof typeof SOURCE_FILES, string][]) {
    const target = path.join(sourcesDir, file);
    if (!force && existsSync(target)) continue;
    const from = path.join(shared, SHARED_PATHS[key]);
    if (!existsSync(from)) throw new Error(`${file} is missing from data/sources and ${from} does not exist`);
    copyFileSync(from, target);
    chmodSync(target, 0o644);
    console.log(`copied ${SHARED_PATHS[key]} → data/sources/${file}`);
  }
}

function main(argv: string[]): void {
  const refresh = argv.includes("--refresh");
  const check = argv.includes("--check");
  refreshSources(DEFAULT_SOURCES_DIR, refresh);
  const { bundle, report } = buildWithReport(DEFAULT_SOURCES_DIR);
  const text = serializeBundle(bundle);
  if (check) {
    const current = existsSync(BUNDLE_PATH) ? readFileSync(BUNDLE_PATH, "utf8") : "";
    if (current !== text) {
      console.error("data/bundle/registry.json is out of date: run npm run dataset");
      process.exit(1);
    }
  } else {
    mkdirSync(path.dirname(BUNDLE_PATH), { recursive: true });
    writeFileSync(BUNDLE_PATH, text);
  }
  const byKind = new Map<string, number>();
  for (const m of bundle.matters) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
  const deptWide = bundle.events.filter((e) => e.matter === null).length;
  console.log(`${check ? "checked" : "wrote"} ${path.relative(ROOT, BUNDLE_PATH)}`);
  console.log(`  jurisdictions ${bundle.jurisdictions.length}, agencies ${bundle.agencies.length}`);
  console.log(
    `  matters ${bundle.matters.length}: ${[...byKind.entries()]
      .sort((a, b) => cmp(a[0], b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  console.log(`  events ${bundle.events.length} (department-wide ${deptWide})`);
  console.log(
    `  sources: Marshall rows ${report.marshallRows}, compiled rows ${report.compiledRows}, policy rows ${report.policyRows} (${report.policyMerged} attached to matters), Collaborative Reform rows ${report.collaborativeReformRows}`,
  );
  console.log(
    `  DOJ 2014 list: ${report.dojListEntries} entries, ${report.dojListMatched} matched to Marshall investigations${
      report.dojListUnmatched.length ? `; unmatched: ${report.dojListUnmatched.join("; ")}` : ""
    }`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
