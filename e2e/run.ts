// The end-to-end journeys through the built app, as people use it: Debian's Chromium driven by
// playwright-core against the built server on a free port with a fresh data directory.
// `npm run e2e` runs every journey; `npm run e2e -- reviews two-factor` only those whose file
// name contains one of the words. Journeys share the server but not their data: each seeds its
// own. E2E_LANES (2) journeys run side by side. Expects `npm run build` to have run. Ends with "N passed, N failed"; non-zero on failure.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { Journey, type JourneyBody, type StepResult, screenshotsDir } from "./fixtures/journey.js";
import { root, startServer } from "./fixtures/server.js";

const journeysDir = join(root, "e2e", "journeys");
const words = process.argv.slice(2).filter((a) => a !== "--");
const all = readdirSync(journeysDir)
  .filter((f) => f.endsWith(".spec.ts"))
  .map((f) => f.replace(/\.spec\.ts$/, ""))
  .sort();
const chosen = words.length ? all.filter((name) => words.some((w) => name.includes(w))) : all;
if (chosen.length === 0) {
  console.error(`No journey's name contains ${words.join(" or ")}. The journeys: ${all.join(", ")}`);
  process.exit(2);
}

/** The journeys that take longest, longest last: they start first, so that no lane ends long after the other. */
const LONGEST = ["provisions-compliance", "reviews", "accessibility"];

const results: StepResult[] = [];
const server = await startServer();
process.on("exit", () => server.stop());
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    server.stop();
    process.exit(130);
  });
}

let browser: Browser | undefined;
const started = Date.now();
try {
  // Chromium starts while the server loads the bundled data (a first start keeps one core busy).
  const launching = chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  launching.then(
    (b) => {
      browser = b;
    },
    () => {},
  );
  await server.ready();
  console.log(`✓ passed   server starts on a fresh data directory (${Date.now() - started} ms)`);
  results.push({ journey: "", name: "server starts on a fresh data directory", status: "passed" });
  const launched = await launching;
  // The journeys run in E2E_LANES lanes side by side (2 by default: a journey spends much of its
  // time waiting on the browser and the server, so a second one fills the idle core), each lane
  // taking the next journey; the longest start first. Journeys share the server, never their data.
  const queue = [...chosen].sort((a, b) => (LONGEST.indexOf(b) + 1 || 0) - (LONGEST.indexOf(a) + 1 || 0));
  const lanes = Math.max(1, Math.min(Number(process.env.E2E_LANES ?? 2) || 1, queue.length));
  const runOne = async (name: string) => {
    const prefix = lanes > 1 ? `[${name}] ` : "";
    console.log(`\n${prefix}» ${name}`);
    const journey = new Journey(name, server.base, launched, prefix);
    const began = Date.now();
    try {
      const body = (await import(pathToFileURL(join(journeysDir, `${name}.spec.ts`)).href)) as {
        default: JourneyBody;
      };
      await body.default(journey);
    } catch (error) {
      await journey.crashed(error);
    }
    await journey.finish();
    results.push(...journey.results);
    console.log(`${prefix}  ${name}: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  };
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await runOne(name);
    }),
  );
} catch (error) {
  results.push({ journey: "", name: "set-up", status: "failed" });
  console.log(`✗ failed   ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser?.close().catch(() => {});
  server.stop();
}

const count = (status: StepResult["status"]) => results.filter((r) => r.status === status).length;
const failed = count("failed");
if (failed > 0) {
  console.log("\nfailed:");
  for (const r of results.filter((r) => r.status === "failed")) console.log(`  ${r.journey}: ${r.name}`);
  console.log("\nlast server output:");
  console.log(server.log.join("").split("\n").slice(-30).join("\n"));
}
console.log(`\nscreenshots in ${screenshotsDir}`);
console.log(`${((Date.now() - started) / 1000).toFixed(1)} s in all`);
if (count("skipped") > 0) console.log(`${count("skipped")} skipped`);
console.log(`${count("passed")} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
