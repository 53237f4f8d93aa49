#!/usr/bin/env node
// The `accord` command: runs the built server (packages/server/dist). Build with `make build`.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("accord: the server is not built yet; run `make build` first");
  process.exit(1);
}
await import(entry.href);
