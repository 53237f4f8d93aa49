import { BlockList, isIP } from "node:net";
import { appError } from "../../context/app-error.js";

/**
 * Where webhooks may be sent. Only http(s); loopback, private, link-local and other special
 * addresses only when the server allows them (ACCORD_WEBHOOK_ALLOW_PRIVATE=1, for a receiver on
 * the same machine or network, and for tests): otherwise a webhook could reach the server's own
 * neighbours (SSRF). The name is checked at registration and the address it resolves to at each
 * delivery, so a name that later points inside is refused too.
 */
const SPECIAL = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  SPECIAL.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  SPECIAL.addSubnet(net, bits, "ipv6");

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isSpecialAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return SPECIAL.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 4) return SPECIAL.check(address, "ipv4");
  if (family === 6) return SPECIAL.check(address, "ipv6");
  return true;
}

/** Refuses a webhook address that is not http(s), or names a special address when not allowed. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw appError("webhook_target_refused", "The webhook's address is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw appError(
      "webhook_target_refused",
      `Webhooks are sent over http or https only, not ${url.protocol}`,
    );
  if (url.username || url.password)
    throw appError("webhook_target_refused", "Put no user name or password in the webhook's address");
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (host === "localhost" || host.endsWith(".localhost") || (isIP(host) && isSpecialAddress(host)))
      throw appError(
        "webhook_target_refused",
        "This server sends webhooks to public addresses only (loopback and private ones need ACCORD_WEBHOOK_ALLOW_PRIVATE=1)",
      );
  }
  return url;
}
