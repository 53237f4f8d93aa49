/** What a process holds, read from /proc (Linux): its resident memory and its open files. */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { round } from "./log.js";

export const MB = 2 ** 20;

/** Resident memory of a process, in bytes (0 once it has gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Open file descriptors of a process (sockets, files, pipes), or -1 once it has gone. */
export function fdCountOf(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

/** The machine's load as `uptime` prints it, and the load averages: the machine may be shared. */
export function machineLoad() {
  let uptime = "";
  try {
    uptime = execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {}
  return { uptime, loadAverage: loadavg().map((n) => round(n, 2)) };
}

/** The median of some numbers (0 for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
