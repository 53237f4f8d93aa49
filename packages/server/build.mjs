// Bundles the server into dist/cli.js (and its extraction worker into dist/extract-worker.js): our own packages inlined, every npm package left external
// (PGlite and pdf.js load their files relative to themselves).
import { build } from "esbuild";

await build({
  absWorkingDir: new URL(".", import.meta.url).pathname,
  // The extraction worker is a second entry point: dist/extract-worker.js, beside dist/cli.js,
  // where src/modules/documents/extraction.ts looks for it in the bundle.
  entryPoints: { cli: "src/cli.ts", "extract-worker": "src/modules/documents/extract/extract-worker.ts" },
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
