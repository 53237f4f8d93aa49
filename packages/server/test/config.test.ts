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
      trustProxy: true,
    });
    expect(c.totpRequiredRoles).toEqual([]);
    expect(() => loadConfig({ PORT: "seventy" })).toThrow(/PORT/);
  });

  it("refuses a session idle limit that is not a positive number (it would never expire)", () => {
    for (const bad of ["sixty", "NaN", "0", "-5", "Infinity"]) {
      expect(() => loadConfig({ ACCORD_SESSION_IDLE_MINUTES: bad }), bad).toThrow(
        /ACCORD_SESSION_IDLE_MINUTES/,
      );
    }
    expect(loadConfig({ ACCORD_SESSION_IDLE_MINUTES: " " }).sessionIdleMinutes).toBe(60);
  });
});
