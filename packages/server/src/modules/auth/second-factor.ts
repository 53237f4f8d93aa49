import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../context/app-error.js";
import type { Db } from "../../db/open.js";
import { queryOne } from "../../db/sql.js";
import { problems } from "../../http/schemas.js";
import { recordAudit } from "../audit/record-audit.js";
import { sha256, verifyPassword } from "./secrets.js";
import { matchTotp, newRecoveryCodes, newTotpSecret, otpauthUrl } from "./totp.js";

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Accepts an authenticator code (never the same time step twice) or an unused recovery code
 * (then used up). Returns whether the code was good.
 */
export async function acceptSecondFactor(
  db: Db,
  userId: string,
  secret: string,
  lastStep: string | null,
  code: string,
  now: Date,
): Promise<boolean> {
  const step = matchTotp(secret, code, now, lastStep === null ? null : Number(lastStep));
  if (step !== null) {
    // Only one request can take a given step, even two at once.
    const taken = await queryOne<{ id: string }>(
      db,
      sql`update users set totp_last_step = ${step}
          where id = ${userId} and (totp_last_step is null or totp_last_step < ${step}) returning id`,
    );
    return taken !== undefined;
  }
  const used = await queryOne<{ userId: string }>(
    db,
    sql`update recovery_codes set used_at = now()
        where user_id = ${userId} and code_hash = ${sha256(normalizeRecovery(code))} and used_at is null
        returning user_id as "userId"`,
  );
  return used !== undefined;
}

const tags = ["session"];

/** Enrolling and removing a second factor (TOTP, RFC 6238) with one-time recovery codes. */
export const secondFactorRoutes: FastifyPluginAsyncZod = async (app) => {
  const own = { policy: "signed-in" as const, beforeSecondFactor: true };

  app.post(
    "/session/totp",
    {
      config: own,
      schema: {
        tags,
        summary:
          "Start enrolling an authenticator app: returns its secret (enter it or scan the otpauth address)",
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }), ...problems(401, 409) },
      },
    },
    async (req) => {
      const user = req.user!;
      if (user.totpEnabled)
        throw appError("second_factor_enrolled", "You already have an authenticator; remove it first");
      const secret = newTotpSecret();
      await app.db.execute(sql`update users set totp_pending_secret = ${secret} where id = ${user.id}`);
      return { secret, otpauthUrl: otpauthUrl(secret, user.username) };
    },
  );

  app.post(
    "/session/totp/confirm",
    {
      config: own,
      schema: {
        tags,
        summary:
          "Finish enrolling with the app's first code; returns ten one-time recovery codes (shown once)",
        body: z.strictObject({ code: z.string().trim().max(12) }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...problems(400, 401, 409) },
      },
    },
    async (req) => {
      const user = req.user!;
      const row = await queryOne<{ pending: string | null }>(
        app.db,
        sql`select totp_pending_secret as pending from users where id = ${user.id}`,
      );
      if (!row?.pending)
        throw appError("no_enrolment", "Start the enrolment first (POST /api/v1/session/totp)");
      const step = matchTotp(row.pending, req.body.code, app.clock(), null);
      if (step === null) {
        throw appError(
          "validation_failed",
          "That code does not match: check the app's clock and try the next code",
          {
            errors: [{ path: "code", message: "Does not match" }],
          },
        );
      }
      const codes = newRecoveryCodes();
      await app.db.transaction(async (tx) => {
        await tx.execute(
          sql`update users set totp_secret = totp_pending_secret, totp_pending_secret = null, totp_last_step = ${step}
              where id = ${user.id}`,
        );
        await tx.execute(sql`delete from recovery_codes where user_id = ${user.id}`);
        for (const code of codes) {
          await tx.execute(
            sql`insert into recovery_codes (user_id, code_hash) values (${user.id}, ${sha256(normalizeRecovery(code))})`,
          );
        }
        await recordAudit(tx, req.ctx, {
          action: "SECOND_FACTOR_ENROLLED",
          entity: "user",
          entityId: user.id,
        });
      });
      return { recoveryCodes: codes };
    },
  );

  app.post(
    "/session/totp/remove",
    {
      config: own,
      schema: {
        tags,
        summary: "Remove your authenticator (confirm with your password)",
        body: z.strictObject({ password: z.string().min(1).max(1000) }),
        response: { 204: z.null(), ...problems(400, 401) },
      },
    },
    async (req, reply) => {
      const user = req.user!;
      const row = await queryOne<{ hash: string | null }>(
        app.db,
        sql`select password_hash as hash from users where id = ${user.id}`,
      );
      if (!(await verifyPassword(req.body.password, row?.hash ?? null))) {
        throw appError("validation_failed", "The password is wrong", {
          errors: [{ path: "password", message: "Wrong password" }],
        });
      }
      await app.db.transaction(async (tx) => {
        await tx.execute(
          sql`update users set totp_secret = null, totp_last_step = null where id = ${user.id}`,
        );
        await tx.execute(sql`delete from recovery_codes where user_id = ${user.id}`);
        await recordAudit(tx, req.ctx, {
          action: "SECOND_FACTOR_REMOVED",
          entity: "user",
          entityId: user.id,
        });
      });
      return reply.code(204).send(null);
    },
  );
};
