import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import * as client from "openid-client";
import { z } from "zod";
import type { OidcConfig } from "../../config.js";
import { AppError, appError } from "../../context/app-error.js";
import { problems } from "../../http/schemas.js";
import { sessionCookieOf, sessionCookieOptions, setSessionCookie } from "./auth.plugin.js";
import { signInWithOidc } from "./commands/sign-in-with-oidc.js";
import { startOidcSignIn } from "./commands/start-oidc-sign-in.js";
import { takeOidcAttempt } from "./commands/take-oidc-attempt.js";
import {
  OIDC_CALLBACK_PATH,
  OIDC_LOGIN_TTL_MINUTES,
  oidcClient,
  roleFromClaim,
  safeReturnTo,
  usernameFromClaims,
} from "./oidc.js";

/**
 * Binds a sign-in attempt to the browser that started it: the callback is accepted only with
 * the state this cookie holds, so nobody can sign a victim in as themselves by sending them a
 * callback address (login CSRF). SameSite=Lax cookies come along on the provider's redirect.
 */
const STATE_COOKIE = "accord_oidc_state";
const STATE_COOKIE_PATH = "/api/v1/session/oidc";

const StartQuerySchema = z.strictObject({
  /** Where to go after signing in: a path on this site ("/matters?q=x"); anything else goes to "/". */
  returnTo: z.string().max(2000).optional(),
});

/** What the provider sends back. Providers add parameters of their own (session_state…): kept. */
const CallbackQuerySchema = z.object({
  code: z.string().max(4000).optional(),
  state: z.string().max(500).optional(),
  iss: z.string().max(2000).optional(),
  /** The provider's refusal (access_denied, login_required…) instead of a code. */
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

const tags = ["session"];

export interface OidcRouteOptions {
  oidc: OidcConfig;
}

const unknownAttempt = () =>
  appError(
    "sso_state_unknown",
    `This single sign-on attempt is unknown, already used or older than ${OIDC_LOGIN_TTL_MINUTES} minutes; start again`,
  );

/** A failed exchange with the provider: unreachable (503), or an answer that does not hold (502). */
function providerFailure(error: unknown): AppError {
  const name = error instanceof Error ? error.name : "";
  const unreachable =
    (error instanceof TypeError && error.message === "fetch failed") ||
    name === "TimeoutError" ||
    name === "AbortError";
  return unreachable
    ? appError("sso_unavailable", "The identity provider cannot be reached; try again later")
    : appError("sso_failed", "The identity provider's answer could not be verified; start the sign-in again");
}

/** A page navigation (a browser following a link or redirect) rather than an API client. */
const wantsPage = (req: FastifyRequest) => /\btext\/html\b/.test(req.headers.accept ?? "");

/**
 * Single sign-on through an OpenID Connect provider: authorization code flow with PKCE (S256),
 * state and nonce, the client authenticated with its secret. Registered only when configured.
 *
 * Failures are problem+json for API clients; a browser is sent back to the sign-in page with
 * a short code in `?error=` (never free text, which a link could use to show a false message).
 */
export const oidcRoutes: FastifyPluginAsyncZod<OidcRouteOptions> = async (app, { oidc }) => {
  // Validates the issuer now (https, or http on loopback); discovery waits for the first sign-in.
  const provider = oidcClient(oidc);

  const redirectUriOf = (req: FastifyRequest) =>
    oidc.redirectUri ?? `${req.protocol}://${req.host}${OIDC_CALLBACK_PATH}`;
  const stateCookieOptions = (req: FastifyRequest) => ({
    ...sessionCookieOptions(req),
    path: STATE_COOKIE_PATH,
  });
  const logProviderError = (req: FastifyRequest) => (error: unknown) =>
    req.log.warn({ err: error }, "single sign-on: the identity provider failed");

  const fail = (req: FastifyRequest, reply: FastifyReply, error: unknown, returnTo: string) => {
    if (!(error instanceof AppError) || !wantsPage(req)) throw error;
    const params = new URLSearchParams({ error: error.code });
    if (returnTo !== "/") params.set("next", returnTo);
    return reply.redirect(`/sign-in?${params}`);
  };

  app.get(
    "/session/oidc/start",
    {
      config: { policy: "public", ignoreSession: true },
      schema: {
        tags,
        summary: "Start single sign-on: redirects (302) to the identity provider",
        querystring: StartQuerySchema,
        response: problems(400, 429, 503),
      },
    },
    async (req, reply) => {
      const returnTo = safeReturnTo(req.query.returnTo);
      try {
        const configuration = await provider.configuration(logProviderError(req));
        const state = client.randomState();
        const nonce = client.randomNonce();
        const codeVerifier = client.randomPKCECodeVerifier();
        const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
        await startOidcSignIn({ state, nonce, codeVerifier, returnTo }, req.ctx);
        const url = client.buildAuthorizationUrl(configuration, {
          redirect_uri: redirectUriOf(req),
          scope: "openid profile email",
          code_challenge: codeChallenge,
          code_challenge_method: "S256",
          state,
          nonce,
        });
        reply.setCookie(STATE_COOKIE, state, {
          ...stateCookieOptions(req),
          maxAge: OIDC_LOGIN_TTL_MINUTES * 60,
        });
        return reply.redirect(url.href);
      } catch (error) {
        return fail(req, reply, error, returnTo);
      }
    },
  );

  app.get(
    "/session/oidc/callback",
    {
      config: { policy: "public", ignoreSession: true },
      schema: {
        tags,
        summary:
          "Where the identity provider sends the user back: signs them in (sets the session cookie) and redirects (302) to where they were going",
        querystring: CallbackQuerySchema,
        response: problems(400, 401, 403, 409, 502, 503),
      },
    },
    async (req, reply) => {
      let returnTo = "/";
      try {
        const { state } = req.query;
        if (!state || req.cookies[STATE_COOKIE] !== state) throw unknownAttempt();
        reply.clearCookie(STATE_COOKIE, stateCookieOptions(req));
        // Used once: the row goes whatever happens next.
        const attempt = await takeOidcAttempt({ state }, req.ctx);
        if (!attempt?.fresh) throw unknownAttempt();
        returnTo = safeReturnTo(attempt.returnTo);

        if (req.query.error) {
          const why = req.query.error_description ? `: ${req.query.error_description}` : "";
          throw appError(
            "sso_denied",
            `The identity provider did not sign you in (${req.query.error}${why})`,
          );
        }

        const log = logProviderError(req);
        const configuration = await provider.configuration(log);
        // The address the provider redirected to, with its parameters: openid-client checks the
        // state and issuer in it and sends the same redirect_uri with the code.
        const currentUrl = new URL(redirectUriOf(req));
        const query = req.url.indexOf("?");
        currentUrl.search = query === -1 ? "" : req.url.slice(query);
        let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
        try {
          tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
            pkceCodeVerifier: attempt.codeVerifier,
            expectedState: state,
            expectedNonce: attempt.nonce,
            idTokenExpected: true,
          });
        } catch (error) {
          log(error);
          throw providerFailure(error);
        }
        // Validated by openid-client: signature, issuer, audience, expiry, nonce.
        const idToken = tokens.claims();
        if (!idToken) throw providerFailure(new Error("no ID token"));
        let claims: Record<string, unknown> = idToken;
        // Many providers put only `sub` in the ID token and the rest behind userinfo.
        const lacksUsername = idToken.preferred_username === undefined && idToken.email === undefined;
        if (idToken[oidc.roleClaim] === undefined || lacksUsername) {
          try {
            const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
            claims = { ...userinfo, ...idToken };
          } catch (error) {
            log(error);
            throw providerFailure(error);
          }
        }

        const role = roleFromClaim(claims[oidc.roleClaim], oidc);
        if (!role) {
          throw appError(
            "sso_no_role",
            `Your identity provider gave no Accord role (claim ${oidc.roleClaim})`,
          );
        }
        const name = claims.name;
        const session = await signInWithOidc(
          {
            identity: {
              issuer: idToken.iss,
              subject: idToken.sub,
              username: usernameFromClaims(claims, idToken.sub),
              displayName: typeof name === "string" && name.trim() ? name.trim().slice(0, 200) : null,
              role,
            },
            userAgent: req.headers["user-agent"] ?? null,
            oldCookie: sessionCookieOf(req),
          },
          req.ctx,
        );
        setSessionCookie(req, reply, session.cookieValue);
        return reply.redirect(returnTo);
      } catch (error) {
        return fail(req, reply, error, returnTo);
      }
    },
  );
};
