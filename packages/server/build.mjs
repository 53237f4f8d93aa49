// Bundles the server into dist/cli.js (its extraction worker into dist/extract-worker.js, the
// embedded database's thread into dist/pglite-thread.js): our own packages inlined, every npm package left external
// (PGlite and pdf.js load their files relative to themselves).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { build } from "esbuild";

await build({
  absWorkingDir: new URL(".", import.meta.url).pathname,
  // The extraction worker is a second entry point: dist/extract-worker.js, beside dist/cli.js,
  // where src/modules/documents/extraction.ts looks for it in the bundle; so is the embedded
  // database's thread (src/db/pglite-worker.ts looks for dist/pglite-thread.js).
  entryPoints: {
    cli: "src/cli.ts",
    "extract-worker": "src/modules/documents/extract/extract-worker.ts",
    "pglite-thread": "src/db/pglite-thread.ts",
  },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  conditions: ["@accord/source"],
  plugins: [
    {
      name: "externals",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.kind === "entry-point" || args.path.startsWith("@accord/")) return undefined;
          return { path: args.path, external: true };
        });
      },
    },
  ],
  logLevel: "warning",
});

// An empty embedded database for new data directories to start from (src/db/pglite-files.ts
// copies it and checks the stamp): made once here, so that a first start does not run initdb,
// whose memory the server would keep.
const template = new URL("./dist/pglite-template", import.meta.url).pathname;
rmSync(template, { recursive: true, force: true });
const pglite = await PGlite.create(template);
await pglite.query("select 1");
await pglite.close();
const pgliteVersion = JSON.parse(
  readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8"),
).version;
writeFileSync(`${template}/ACCORD_PGLITE_VERSION`, `${pgliteVersion}\n`);
