import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

/** Where the dev server forwards API calls; override with ACCORD_API_URL when port 3000 is taken. */
const apiTarget = process.env.ACCORD_API_URL ?? "http://127.0.0.1:3000";

/**
 * Files pdf.js loads at run time by their fixed names, under /pdfjs/: the JavaScript builds of its
 * JBIG2/CCITT and JPEG 2000 image decoders (scanned court filings use them; the WebAssembly ones
 * would need 'wasm-unsafe-eval' in the CSP) and the CMaps of fonts that are not embedded.
 */
function pdfjsAssets(): Plugin {
  const root = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  const files = [
    "wasm/jbig2_nowasm_fallback.js",
    "wasm/openjpeg_nowasm_fallback.js",
    "wasm/LICENSE_JBIG2",
    "wasm/LICENSE_OPENJPEG",
    "wasm/LICENSE_PDFJS_JBIG2",
    "wasm/LICENSE_PDFJS_OPENJPEG",
    ...readdirSync(join(root, "cmaps")).map((f) => `cmaps/${f}`),
  ];
  return {
    name: "accord-pdfjs-assets",
    configureServer(server) {
      server.middlewares.use("/pdfjs/", (req, res, next) => {
        const path = decodeURIComponent((req.url ?? "").split("?")[0] ?? "").replace(/^\//, "");
        if (!files.includes(path)) return next();
        res.setHeader("content-type", path.endsWith(".js") ? "text/javascript" : "application/octet-stream");
        createReadStream(join(root, path)).pipe(res);
      });
    },
    generateBundle() {
      for (const f of files) {
        this.emitFile({ type: "asset", fileName: `pdfjs/${f}`, source: readFileSync(join(root, f)) });
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react(), pdfjsAssets()],
  resolve: {
    // Use the domain package's TypeScript sources, so no build of it is needed first.
    conditions: ["@accord/source", ...defaultClientConditions],
  },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/api": { target: apiTarget, changeOrigin: false },
      "/healthz": { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      "/api": { target: apiTarget, changeOrigin: false },
      "/healthz": { target: apiTarget, changeOrigin: false },
    },
  },
});
