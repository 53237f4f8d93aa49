import { z } from "zod";
import { PERMISSIONS, ROLES, type Role } from "./policy.js";

/**
 * Accounts as the API speaks of them: users, the session (who is signed in) and API tokens.
 * The server validates and answers with these; the web reads the same shapes.
 */

/** A user name: lowercase, 2–64 letters, digits, dots, hyphens or underscores. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, "Use 2–64 lowercase letters, digits, dots, hyphens or underscores");

/** A new password (a password change, a reset by an administrator). */
export const PASSWORD_RULES = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(1000)
  .meta({ description: "At least 12 characters" });

/** A user as administrators see them (never their password or second factor). */
export const UserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  active: z.boolean(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSeenAt: z.string().nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const CreateUserSchema = z.strictObject({
  username: UsernameSchema,
  displayName: z.string().trim().max(200).nullish(),
  role: z.enum(ROLES),
  /** Leave out to have a random one generated and shown once. */
  password: z.string().min(12, "Use at least 12 characters").max(1000).optional(),
});
export type CreateUser = z.input<typeof CreateUserSchema>;

export const UpdateUserSchema = z.strictObject({
  displayName: z.string().trim().max(200).nullish(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
});
export type UpdateUser = z.input<typeof UpdateUserSchema>;

/** A user with the password to hand over, shown once (creation, reset). */
export const UserWithPasswordSchema = z.object({
  user: UserSchema,
  /** Shown once: hand it to the person, who should change it after signing in. */
  password: z.string(),
});
export type UserWithPassword = z.infer<typeof UserWithPasswordSchema>;

/** Who is signed in, as the session answers it. */
export const SessionUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const SessionSchema = z.object({
  user: SessionUserSchema.nullable(),
  /** The user's second factor: enrolled, and whether their role requires one. */
  totp: z.object({ enabled: z.boolean(), required: z.boolean() }).nullable(),
  /**
   * The user signed in with a password that was generated for them (a new account, a reset) and
   * must choose their own before doing anything else.
   */
  passwordChangeRequired: z.boolean(),
  /** Send it back in X-CSRF-Token on every POST, PATCH and DELETE. */
  csrfToken: z.string().nullable(),
  permissions: z.array(z.enum(PERMISSIONS)),
  authVia: z.enum(["session", "token"]).nullable(),
  /** Whether anonymous visitors may read public matters and events (ACCORD_PUBLIC_READ=1). */
  publicRead: z.boolean(),
  /** Single sign-on, when configured: the sign-in page offers a button that starts it. */
  singleSignOn: z.object({ label: z.string(), startUrl: z.string() }).nullable(),
});
export type Session = z.infer<typeof SessionSchema>;

export const SignInSchema = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
  /** The authenticator's 6-digit code, or a recovery code, for users with a second factor. */
  code: z.string().trim().max(32).optional(),
});
export type SignIn = z.input<typeof SignInSchema>;

export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1000),
  newPassword: PASSWORD_RULES,
});

/** One of a user's API tokens (the token itself is shown only when it is created). */
export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreateApiTokenSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

/** A new API token with the token itself, shown only in this answer. */
export const NewApiTokenSchema = ApiTokenSchema.extend({ token: z.string() });

/** Whether a text names one of the roles (the CLI's argument, an identity provider's claim). */
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
