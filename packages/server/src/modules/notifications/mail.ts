import { NOTIFICATION_KIND_LABELS, type NotificationKind } from "@accord/domain";
import { sql } from "drizzle-orm";
import type nodemailer from "nodemailer";
import type { Db } from "../../db/open.js";
import { queryOne, queryRows } from "../../db/sql.js";

export interface MailConfig {
  /** smtp://user:pass@host:port or smtps://… (ACCORD_SMTP_URL). */
  smtpUrl: string;
  /** The From address (ACCORD_MAIL_FROM). */
  from: string;
  /** The app's address, for the links in messages (ACCORD_PUBLIC_URL). */
  publicUrl: string;
  /** The UTC hour from which each day's digest goes out (ACCORD_DIGEST_HOUR, 7). */
  digestHour: number;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;
const transports = new Map<string, Transport>();
/** nodemailer is loaded with the first message, not at start (most servers send none). */
const transportFor = async (url: string) => {
  let t = transports.get(url);
  if (!t) {
    const { default: mailer } = (await import("nodemailer")) as { default: typeof nodemailer };
    t = mailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
};

interface Pending {
  id: string;
  kind: NotificationKind;
  title: string;
  detail: string | null;
  link: string;
}

const absolute = (config: MailConfig, link: string) => `${config.publicUrl.replace(/\/+$/, "")}${link}`;

/** The message of one user's pending notifications: nothing in it comes from anyone else's. */
function compose(config: MailConfig, items: Pending[], digest: boolean) {
  const subject =
    items.length === 1 && !digest
      ? `Accord: ${items[0]!.title}`
      : digest
        ? `Accord daily digest: ${items.length} notification${items.length === 1 ? "" : "s"}`
        : `Accord: ${items.length} notifications`;
  const lines = items.map(
    (n) => `- ${n.title}${n.detail ? `\n  ${n.detail}` : ""}\n  ${absolute(config, n.link)}`,
  );
  const text = `${lines.join("\n\n")}\n\nChoose what Accord tells you, and how: ${absolute(config, "/settings")}\n`;
  const escapeHtml = (s: string) =>
    s.replace(
      /[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
    );
  const html = `<ul>${items
    .map(
      (n) =>
        `<li><a href="${escapeHtml(absolute(config, n.link))}">${escapeHtml(n.title)}</a>${n.detail ? `<br>${escapeHtml(n.detail)}` : ""}<br><small>${escapeHtml(NOTIFICATION_KIND_LABELS[n.kind] ?? n.kind)}</small></li>`,
    )
    .join(
      "",
    )}</ul><p><a href="${escapeHtml(absolute(config, "/settings"))}">Choose what Accord tells you</a></p>`;
  return { subject, text, html };
}

/** A claim on waiting mail older than this was left by a process that died while sending it. */
const MAIL_CLAIM_STALE_MINUTES = 10;

/**
 * Sends a user their notifications waiting for e-mail, in one message, and marks them sent. The
 * send happens outside any transaction; a notification that arrives meanwhile waits for the next.
 *
 * Several servers (one PostgreSQL) may run two of one user's mail jobs at once: each claims the
 * notifications it sends first (emailed_at set while still waiting, rows locked ones skipped), so
 * none goes out twice. A failed send gives its claim back; a claim left by a process that died
 * mid-send is taken again after ten minutes, so nothing is lost either.
 */
export async function sendPendingMail(
  db: Db,
  config: MailConfig,
  userId: string,
  { digest }: { digest: boolean },
): Promise<number> {
  const settings = await queryOne<{ email: string | null; emailMode: string }>(
    db,
    sql`select s.email, s.email_mode as "emailMode" from notification_settings s join users u on u.id = s.user_id
      where s.user_id = ${userId} and u.active`,
  );
  if (!settings?.email || settings.emailMode === "off") {
    // The user turned e-mail off since: nothing is sent, and nothing waits any longer.
    await db.execute(
      sql`update notifications set email_pending = false where user_id = ${userId} and email_pending`,
    );
    return 0;
  }
  const claimed = await queryRows<{ id: string }>(
    db,
    sql`update notifications set emailed_at = now()
      where id in (select id from notifications where user_id = ${userId} and email_pending
          and (emailed_at is null or emailed_at < now() - make_interval(mins => ${MAIL_CLAIM_STALE_MINUTES}))
        order by created_at, id limit 200 for update skip locked)
      returning id`,
  );
  if (!claimed.length) return 0;
  const ids = sql.join(
    claimed.map((c) => sql`${c.id}`),
    sql`, `,
  );
  const items = await queryRows<Pending>(
    db,
    sql`select id, kind, title, detail, link from notifications where id in (${ids}) order by created_at, id`,
  );
  try {
    const message = compose(config, items, digest);
    await (await transportFor(config.smtpUrl)).sendMail({
      from: config.from,
      to: settings.email,
      ...message,
    });
  } catch (e) {
    // Not sent: the next job (or the next digest) tries them again.
    await db.execute(sql`update notifications set emailed_at = null where id in (${ids}) and email_pending`);
    throw e;
  }
  await db.execute(
    sql`update notifications set email_pending = false, emailed_at = now() where id in (${ids})`,
  );
  return items.length;
}

/**
 * Queues today's digest for each user who chose one and has notifications waiting, once a day
 * from the digest hour on; resolves with how many were queued.
 */
export async function queueDigests(db: Db, config: MailConfig, now: Date): Promise<number> {
  if (now.getUTCHours() < config.digestHour) return 0;
  const today = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
  return db.transaction(async (tx) => {
    const due = await queryRows<{ userId: string }>(
      tx,
      sql`update notification_settings s set last_digest_at = ${now.toISOString()}::timestamptz
        where s.email_mode = 'daily' and s.email is not null
          and (s.last_digest_at is null or s.last_digest_at < ${today}::timestamptz)
          and exists (select 1 from notifications n where n.user_id = s.user_id and n.email_pending)
        returning s.user_id as "userId"`,
    );
    for (const { userId } of due)
      await tx.execute(
        sql`insert into jobs (kind, payload) values ('digest', ${JSON.stringify({ userId })}::jsonb)`,
      );
    return due.length;
  });
}
