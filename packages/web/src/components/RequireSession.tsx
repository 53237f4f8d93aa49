import { type Permission, ROLE_LABELS } from "@accord/domain";
import { Alert, Center, Container, Loader, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { Navigate, type UIMatch, useLocation, useMatches } from "react-router";
import {
  mustChangePassword,
  mustEnrolSecondFactor,
  useCan,
  useCurrentUser,
  useSession,
} from "../api/session";
import { IconLock } from "./icons";
import { PageTitle } from "./PageTitle";
import { ProblemAlert } from "./ProblemAlert";

/** The sign-in page's address that comes back to `path` after signing in. */
export function signInPath(path: string): string {
  return path === "/" || path.startsWith("/sign-in")
    ? "/sign-in"
    : `/sign-in?next=${encodeURIComponent(path)}`;
}

/** What a route (its `handle`) lets anonymous visitors do when the server allows public reading. */
export interface RouteAccess {
  /** They may open it: the screen reads only what the server answers them (the public records). */
  publicRead?: boolean;
  /** They are sent there instead (the dashboard, which is not public, sends them to the matters). */
  publicRedirect?: string;
}

/** The access the deepest matched route declares. */
function routeAccess(matches: UIMatch[]): RouteAccess {
  const handle = matches.at(-1)?.handle;
  return handle && typeof handle === "object" ? (handle as RouteAccess) : {};
}

/**
 * Only for a signed-in user: anyone else goes to the sign-in page, which brings them back here.
 * When the server allows public reading (`publicRead`), anonymous visitors may also open the
 * routes marked for it, read-only. A user whose role must use a second factor and has none yet
 * goes to Settings to set it up.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const matches = useMatches();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (session.error && !session.data) {
    return (
      <Container size="sm" py="xl">
        <ProblemAlert error={session.error} onRetry={() => session.refetch()} />
      </Container>
    );
  }
  if (!session.data?.user) {
    const access = session.data?.publicRead ? routeAccess(matches) : {};
    if (access.publicRedirect) return <Navigate to={access.publicRedirect} replace />;
    if (access.publicRead) return children;
    return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  }
  // A user with a generated password, or whose role must use a second factor they lack, sees
  // only Settings until they have chosen a password or set one up; the page they asked for goes
  // along (`then`), to be opened once done.
  if (
    (mustChangePassword(session.data) || mustEnrolSecondFactor(session.data)) &&
    location.pathname !== "/settings"
  ) {
    const then = `${location.pathname}${location.search}`;
    return <Navigate to={`/settings?${new URLSearchParams({ then })}`} replace />;
  }
  return children;
}

/** Said instead of a screen (or, `inline`, a part of one) the user's role does not allow. */
export function Forbidden({ what, inline = false }: { what?: string; inline?: boolean }) {
  const user = useCurrentUser();
  const text = `${user ? `Your role (${ROLE_LABELS[user.role]})` : "You"} may not ${what ?? "use this screen"}. Ask an administrator if you need to.`;
  if (inline) {
    return (
      <Alert color="gray" variant="light" icon={<IconLock />} title="Read only">
        <Text size="sm">{text}</Text>
      </Alert>
    );
  }
  return (
    <Stack>
      <PageTitle title="Not allowed" />
      <Text c="dimmed">{text}</Text>
    </Stack>
  );
}

/** A screen only for users who hold `permission`. */
export function RequirePermission({
  permission,
  what,
  children,
}: {
  permission: Permission;
  what?: string;
  children: ReactNode;
}) {
  return useCan(permission) ? children : <Forbidden what={what} />;
}
