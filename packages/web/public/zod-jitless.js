// Loaded before the app (a classic script runs before module scripts). zod, which the app's
// schemas are built with, tests whether it may compile code with `new Function("")` when a
// schema is made; the Content-Security-Policy (script-src 'self', no 'unsafe-eval') refuses it,
// so the test only ever raised a CSP violation report on every page, noise that would hide a
// real one (a hostile PDF's script, say). Told to be jitless, zod never tries.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
