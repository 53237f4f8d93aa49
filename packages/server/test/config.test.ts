import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

describe("configuration", () => {
  it("has the documented defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: undefined,
      sessionIdleMinutes: 60,
      trustProxy: false,
    });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.totpRequiredRoles).toEqual(["admin", "approver"]);
  });

  it("reads the environment", () => {
    const c = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgres://u@h/db",
      ACCORD_TOTP_REQUIRED_ROLES: "",
      ACCORD_SESSION_IDLE_MINUTES: "15",
      ACCORD_TRUST_PROXY: "1",
    });
    expect(c).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      databaseUrl: "postgres://u@h/db",
      sessionIdleMinutes: 15,
      trustProxy: 1,
    });
    expect(c.totpRequiredRoles).toEqual([]);
    expect(() => loadConfig({ PORT: "seventy" })).toThrow(/PORT/);
  });

  it("reads the embedded database's buffer pool as a PostgreSQL size, and refuses anything else", () => {
    expect(loadConfig({}).pgliteSharedBuffers).toBe("32MB");
    expect(loadConfig({ ACCORD_PGLITE_SHARED_BUFFERS: "64mb" }).pgliteSharedBuffers).toBe("64MB");
    expect(loadConfig({ ACCORD_PGLITE_SHARED_BUFFERS: "512kB" }).pgliteSharedBuffers).toBe("512kB");
    for (const bad of ["lots", "32", "64KB;drop", "1 TB", "100kB"]) {
      expect(() => loadConfig({ ACCORD_PGLITE_SHARED_BUFFERS: bad }), bad).toThrow(
        /ACCORD_PGLITE_SHARED_BUFFERS/,
      );
    }
  });

  it("runs the embedded database in a worker thread only when ACCORD_PGLITE_WORKER=1", () => {
    expect(loadConfig({}).pgliteWorker).toBe(false);
    expect(loadConfig({ ACCORD_PGLITE_WORKER: "1" }).pgliteWorker).toBe(true);
    expect(loadConfig({ ACCORD_PGLITE_WORKER: "0" }).pgliteWorker).toBe(false);
    for (const bad of ["yes", "true", "2"])
      expect(() => loadConfig({ ACCORD_PGLITE_WORKER: bad }), bad).toThrow(/ACCORD_PGLITE_WORKER/);
  });

  it("reads the search limits, by engine unless set", () => {
    expect(loadConfig({}).search).toEqual({ statementTimeoutMs: 5000, concurrency: 1, queue: 100 });
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db" }).search.concurrency).toBe(4);
    expect(
      loadConfig({
        ACCORD_STATEMENT_TIMEOUT_MS: "2500",
        ACCORD_SEARCH_CONCURRENCY: "2",
        ACCORD_SEARCH_QUEUE: "20",
      }).search,
    ).toEqual({ statementTimeoutMs: 2500, concurrency: 2, queue: 20 });
    expect(() => loadConfig({ ACCORD_STATEMENT_TIMEOUT_MS: "0" })).toThrow(/ACCORD_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ ACCORD_SEARCH_QUEUE: "-1" })).toThrow(/ACCORD_SEARCH_QUEUE/);
  });

  it("refuses a session idle limit that is not a positive number (it would never expire)", () => {
    for (const bad of ["sixty", "NaN", "0", "-5", "Infinity"]) {
      expect(() => loadConfig({ ACCORD_SESSION_IDLE_MINUTES: bad }), bad).toThrow(
        /ACCORD_SESSION_IDLE_MINUTES/,
      );
    }
    expect(loadConfig({ ACCORD_SESSION_IDLE_MINUTES: " " }).sessionIdleMinutes).toBe(60);
  });

  it("trusts a number of proxy hops or a list of proxies, never every hop", () => {
    expect(loadConfig({ ACCORD_TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ ACCORD_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ ACCORD_TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(loadConfig({ ACCORD_TRUST_PROXY: "10.0.0.1, fd00::/8" }).trustProxy).toEqual([
      "10.0.0.1",
      "fd00::/8",
    ]);
    for (const bad of ["yes", "true", "10.0.0.1; rm"]) {
      expect(() => loadConfig({ ACCORD_TRUST_PROXY: bad }), bad).toThrow(/ACCORD_TRUST_PROXY/);
    }
  });
});
