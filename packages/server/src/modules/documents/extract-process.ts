import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import type { ExtractionInput, WorkerMessage } from "./extract/messages.js";

/**
 * Why an extraction process ended without saying so itself: its V8 heap was full
 * (`--max-old-space-size`), or the operating system refused it more memory (RLIMIT_DATA: every
 * page it writes to, ArrayBuffers and WebAssembly included, which the V8 heap limit does not
 * cover), else null.
 */
export type MemoryLimitHit = "heap" | "os" | null;

/** How an extraction process is started: its entry file and its two memory limits. */
export interface ProcessLimits {
  heapMb: number;
  memoryMb: number;
}

/** util-linux's prlimit, when installed: it sets the limit and execs node (same process id). */
const PRLIMIT = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => existsSync(p)) ?? null;

/**
 * The command that runs `node <file>` under an operating-system limit of `memoryMb` on the data
 * it may write (RLIMIT_DATA). RLIMIT_AS would be the usual choice, but V8 reserves address space
 * it never touches (several GB for each WebAssembly memory's guard regions), so a bound on the
 * address space that leaves room for that bounds nothing; RLIMIT_DATA counts only private
 * writable pages, which is what a decoding bomb fills. Through prlimit when it is installed, else
 * the shell's `ulimit -d` (in KB); either way `exec`, so the process id is node's.
 */
export function extractCommand(file: string, limits: ProcessLimits, args: string[]): [string, string[]] {
  const bytes = limits.memoryMb * 1024 * 1024;
  const node = [
    process.execPath,
    `--max-old-space-size=${limits.heapMb}`,
    "--max-semi-space-size=16",
    file,
    ...args,
  ];
  if (PRLIMIT) return [PRLIMIT, [`--data=${bytes}`, ...node]];
  return ["/bin/sh", ["-c", `ulimit -d ${Math.floor(bytes / 1024)} && exec "$@"`, "sh", ...node]];
}

const HEAP_OOM = /Reached heap limit|JavaScript heap out of memory|Ineffective mark-compacts/;
const OS_OOM = /Fatal process out of memory|allocation failed|Out of memory|could not allocate memory/i;

/**
 * One extraction process: node running the extraction worker entry (extract-worker.ts), in its
 * own process group, under the memory limits, talking over the IPC channel. It looks like a
 * worker thread to extraction.ts: `postMessage`, and the events `message`, `error` (it could not
 * start) and `exit` (code, signal, which memory limit it hit if any).
 *
 * Why a process and not a worker thread: a worker thread's `resourceLimits` bound its V8 heap
 * only; the buffers pdf.js decodes streams into are ArrayBuffers, outside that heap, so a nested
 * FlateDecode bomb grew the server's own memory without bound. A process's memory is its own,
 * the kernel bounds it, and killing it gives every page back.
 */
export class ExtractProcess extends EventEmitter {
  readonly child: ChildProcess;
  /** The process id (the process group's too), or 0 if it could not start. */
  readonly pid: number;
  /** The end of what it wrote to stderr: how it died, when it died. */
  private stderrTail = "";
  exited = false;

  constructor(file: string, limits: ProcessLimits, args: string[] = []) {
    super();
    const [command, argv] = extractCommand(file, limits, args);
    this.child = spawn(command, argv, {
      // Its own process group: a timeout kills whatever it started too.
      detached: true,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    this.pid = this.child.pid ?? 0;
    // pdf.js warns about fonts and structure on stdout: not ours to print.
    this.child.stdout?.resume();
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-4096);
    });
    this.child.on("message", (m: WorkerMessage) => this.emit("message", m));
    this.child.on("error", (e) => {
      if (this.exited) return;
      this.exited = true;
      this.emit("error", e);
    });
    this.child.on("exit", (code, signal) => {
      if (this.exited) return;
      this.exited = true;
      // stderr may still hold the fatal message: read it once the pipe has closed.
      const tell = () => this.emit("exit", code, signal, this.memoryLimitHit());
      if (this.child.stderr && !this.child.stderr.readableEnded) {
        const timer = setTimeout(tell, 200);
        this.child.stderr.once("end", () => {
          clearTimeout(timer);
          tell();
        });
      } else tell();
    });
  }

  private memoryLimitHit(): MemoryLimitHit {
    if (HEAP_OOM.test(this.stderrTail)) return "heap";
    if (OS_OOM.test(this.stderrTail)) return "os";
    return null;
  }

  postMessage(input: ExtractionInput) {
    if (this.exited || !this.child.connected) return;
    this.child.send(input, (e) => {
      // A process that died just now: its exit tells.
      if (e) void e;
    });
  }

  /** Kills the process and its group at once (SIGKILL: a stuck decoder does not get a say). */
  terminate() {
    if (!this.pid) return;
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }

  /** An idle process does not keep the server alive; a busy one does. */
  unref() {
    this.child.unref();
    this.child.channel?.unref();
    (this.child.stdout as unknown as { unref?: () => void })?.unref?.();
    (this.child.stderr as unknown as { unref?: () => void })?.unref?.();
  }

  ref() {
    this.child.ref();
    this.child.channel?.ref();
    (this.child.stdout as unknown as { ref?: () => void })?.ref?.();
    (this.child.stderr as unknown as { ref?: () => void })?.ref?.();
  }
}
