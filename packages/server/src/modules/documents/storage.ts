import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "../../context/app-error.js";
import type { Sample } from "./sniff.js";

const HEAD = 8 * 1024;
const TAIL = 64 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;
/**
 * What an upload may hold in memory on its way to disk. With the streams' default (16 KB) a file
 * moved one socket read (64 KB) per turn of the event loop, waiting for each disk write; beside 50
 * readers on PGlite, whose queries run on this thread, a turn lasts 100 ms or more, and a 20 MB
 * upload took 40 to 170 s (7.6 s on PostgreSQL). With room for a megabyte, a turn takes some 1 MB
 * of each upload and the disk writes are gathered; not more, so that a turn's parsing and hashing
 * of several uploads at once stays short for the reads served between turns.
 */
const STAGE_BUFFER = 1024 * 1024;

/** A file written to the temporary folder, hashed, not yet in the store. */
export interface StagedFile {
  tmpPath: string;
  sha256: string;
  size: number;
  sample: Sample;
}

export class FileTooLargeError extends AppError {
  constructor(filename: string, limitBytes: number) {
    super(
      "payload_too_large",
      `${filename} is larger than the upload limit of ${formatBytes(limitBytes)}; nothing was added`,
    );
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${n} bytes`;
}

/**
 * Files stored by content: `<dataDir>/blobs/<aa>/<bb>/<sha256>`. A file is streamed to a
 * temporary file while it is hashed, then renamed into place (atomic on one filesystem), so the
 * store never holds a partial file under a hash name, and the same bytes are stored once.
 */
export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, "blobs");
    this.tmpDir = join(this.root, "tmp");
  }

  /** Where the file of a hash lives; the hash is checked so no name can point elsewhere. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`Not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Writes a stream to a temporary file, hashing it and keeping its first and last bytes for
   * sniffing. Past `limitBytes` it stops and throws 413; the temporary file is removed on every
   * error. `isTruncated` tells whether the source cut the stream at its own limit (multipart).
   */
  async stage(
    source: Readable,
    filename: string,
    limitBytes: number,
    isTruncated: () => boolean = () => false,
  ): Promise<StagedFile> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmpPath = join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    let size = 0;
    let head = Buffer.alloc(0);
    // The last chunks, as long as they hold the tail: joined once at the end, not at every chunk.
    const last: Buffer[] = [];
    let lastBytes = 0;
    const meter = new Transform({
      highWaterMark: STAGE_BUFFER,
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limitBytes) return done(new FileTooLargeError(filename, limitBytes));
        hash.update(chunk);
        if (head.length < HEAD) head = Buffer.concat([head, chunk.subarray(0, HEAD - head.length)]);
        last.push(chunk);
        lastBytes += chunk.length;
        while (lastBytes - last[0]!.length >= TAIL) lastBytes -= last.shift()!.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmpPath, { flags: "wx", highWaterMark: STAGE_BUFFER }));
      if (isTruncated()) throw new FileTooLargeError(filename, limitBytes);
      // Flushed before the database records it: an acknowledged upload survives a crash.
      const handle = await open(tmpPath, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (e) {
      await rm(tmpPath, { force: true });
      // Drain what the client still sends, so the answer (413) can be read.
      if (!source.destroyed) source.resume();
      throw e;
    }
    const joined = Buffer.concat(last);
    const tail = Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL)));
    return { tmpPath, sha256: hash.digest("hex"), size, sample: { size, head, tail } };
  }

  /** Moves a staged file into the store (or drops it when the same bytes are already there). */
  async commit(staged: StagedFile): Promise<string> {
    const path = this.pathOf(staged.sha256);
    if (existsSync(path)) {
      await rm(staged.tmpPath, { force: true });
      return path;
    }
    await mkdir(join(path, ".."), { recursive: true });
    await rename(staged.tmpPath, path);
    return path;
  }

  async discard(staged: StagedFile) {
    await rm(staged.tmpPath, { force: true });
  }

  /**
   * Removes the `.part` files a crashed process left in the temporary folder: those written
   * before `before` (this process's start), which no upload of this process can be writing.
   * One server holds the data directory (its lock), so no other process writes there either.
   * Answers how many were removed.
   */
  async sweepStaged(before: Date): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith(".part")) continue;
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtime < before) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Removes a stored file (its last document was deleted). */
  async remove(sha256: string) {
    await unlink(this.pathOf(sha256)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
  }
}
