// Bundles the server into dist/cli.js: our own packages inlined, every npm package left external
// (PGlite and pdf.js load their files relative to themselves).
import { build } from "esbuild";

await build({
  absWorkingDir: new URL(".", import.meta.url).pathname,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.js",
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
