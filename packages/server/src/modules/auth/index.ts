/**
 * Who is calling and what they may do: the auth plugin (sessions, API tokens, route policies),
 * signing in and out (password, second factor, single sign-on) and each user's API tokens.
 */
export {
  type AuthOptions,
  authPlugin,
  type RouteEntry,
  type RoutePolicy,
  SESSION_COOKIE,
} from "./auth.plugin.js";
export { signedInUser } from "./commands/signed-in-user.js";
export { isCommonPassword, refuseCommonPassword } from "./common-passwords.js";
export { oidcRoutes } from "./oidc.routes.js";
export { generatePassword, hashPassword, randomToken, sha256 } from "./secrets.js";
export { sessionRoutes } from "./session.routes.js";
export { deleteSessionsOf, type SessionUser } from "./sessions.js";
export { clearFailures } from "./throttle.js";
export { tokenRoutes } from "./tokens.routes.js";
