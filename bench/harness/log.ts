/** Progress goes to stderr, so that stdout carries the JSON report alone. */
export const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
