import {
  Alert,
  Box,
  Button,
  Center,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Navigate, useSearchParams } from "react-router";
import { isApiError } from "../../api/client";
import { useSession, useSignIn } from "../../api/session";
import { IconAlert, IconLock } from "../../components/icons";
import { errorMessage } from "../../lib/forms";

/** Where to go after signing in: `?next=`, when it is a path inside the app. */
function nextPath(params: URLSearchParams): string {
  const next = params.get("next");
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/sign-in")) return "/";
  return next;
}

/** Why signing in failed, in words: wrong credentials, a lockout with how long, or anything else. */
function SignInProblem({ error }: { error: unknown }) {
  const code = isApiError(error) ? error.code : undefined;
  const detail = errorMessage(error);
  if (code === "sign_in_locked") {
    return (
      <Alert
        color="orange"
        variant="light"
        role="alert"
        icon={<IconLock />}
        title="Sign-in is locked for now"
      >
        <Text size="sm">{detail}</Text>
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      icon={<IconAlert />}
      title={code === "sign_in_failed" ? "Could not sign you in" : "Sign-in failed"}
    >
      <Text size="sm">
        {code === "sign_in_failed"
          ? "Wrong user name or password, or the account is deactivated. Check both and try again."
          : detail}
      </Text>
    </Alert>
  );
}

/** The one screen for someone not signed in. */
export function SignInPage() {
  const [params] = useSearchParams();
  const next = nextPath(params);
  const session = useSession();
  const signIn = useSignIn();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = "Sign in · Accord";
  }, []);

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (session.data?.user) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = {
      username: username.trim() ? undefined : "Enter your user name",
      password: password ? undefined : "Enter your password",
    };
    setMissing(m);
    if (m.username || m.password) return;
    signIn.mutate(
      { username: username.trim(), password },
      {
        onError: () => {
          setPassword("");
          passwordRef.current?.focus();
        },
      },
    );
  };

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-light)" py={80} px="md">
      <Stack maw={400} mx="auto" gap="lg">
        <Stack gap={4} align="center">
          <Text fw={800} size="xl" style={{ letterSpacing: "-0.01em" }}>
            Accord
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            The registry and review of federal agreements with local law enforcement
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <form onSubmit={submit} noValidate aria-labelledby="sign-in-h">
            <Stack gap="md">
              <div>
                <Title order={1} size="h3" id="sign-in-h">
                  Sign in
                </Title>
                {next !== "/" ? (
                  <Text size="sm" c="dimmed">
                    Sign in to continue where you were.
                  </Text>
                ) : null}
              </div>
              {signIn.error ? <SignInProblem error={signIn.error} /> : null}
              <TextInput
                label="User name"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
                value={username}
                error={missing.username}
                onChange={(e) => setUsername(e.currentTarget.value)}
              />
              <PasswordInput
                ref={passwordRef}
                label="Password"
                autoComplete="current-password"
                value={password}
                error={missing.password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={signIn.isPending} fullWidth>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
        <Text size="xs" c="dimmed" ta="center">
          Forgot your password? An administrator can reset it.
        </Text>
      </Stack>
    </Box>
  );
}
