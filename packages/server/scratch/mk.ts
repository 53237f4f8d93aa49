import { generateBundle } from "../../../bench/generate.js";
import { openDatabase } from "../src/db/open.js";
import { importBundle, parseBundle } from "../src/modules/transfer/index.js";

const d = await openDatabase({ pgliteDir: "/tmp/bench10k" });
await d.migrate();
const b = parseBundle(generateBundle({ matters: 10000, eventsPerMatter: 10, seed: 1 } as never));
const t = Date.now();
await importBundle(b, { db: d.db, actor: "x", requestId: null });
console.log("import", Date.now() - t);
await d.close();
