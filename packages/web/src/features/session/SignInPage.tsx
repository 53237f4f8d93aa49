import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Divider,
  Group,
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
import { hasCode, isApiError } from "../../api/client";
import { useSession, useSignIn } from "../../api/session";
import { IconAlert, IconLock } from "../../components/icons";
import { errorMessage } from "../../lib/forms";

/** Where to go after signing in: `?next=`, when it is a path inside the app. */
function nextPath(params: URLSearchParams): string {
  const next = params.get("next");
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/sign-in")) return "/";
  return next;
}

/**
 * Why single sign-on failed, by the short code the server puts in `?error=` (never its text: a
 * link could carry any words, and this page would show them as Accord's own).
 */
const SSO_ERRORS: Record<string, string> = {
  sso_denied: "The identity provider did not sign you in. Try again, or sign in with a password.",
  sso_no_role:
    "Your account at the identity provider has no Accord role. Ask your administrator to give you one.",
  sso_account_deactivated: "Your Accord account is deactivated. Ask an administrator if you need it again.",
  sso_username_taken:
    "Your user name at the identity provider belongs to an Accord account that signs in with a password. Ask an administrator.",
  sso_state_unknown: "That single sign-on attempt expired or was already used. Start again.",
  sso_unavailable: "The identity provider cannot be reached right now. Try again in a moment.",
  sso_failed: "The identity provider's answer could not be verified. Start again.",
  sso_conflict: "Your account was being set up by another sign-in at the same moment. Try again.",
};

function SingleSignOnProblem({ code }: { code: string }) {
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlert />} title="Single sign-on did not work">
      <Text size="sm">{SSO_ERRORS[code] ?? "Try again, or ask an administrator."}</Text>
    </Alert>
  );
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
  // The password was right: the second step asks for the code, without an error.
  if (code === "second_factor_needed") return null;
  if (code === "second_factor_failed") {
    return (
      <Alert color="red" variant="light" role="alert" icon={<IconAlert />} title="That code did not work">
        <Text size="sm">
          Enter the current 6-digit code from your authenticator app (each code works once), or an unused
          recovery code.
        </Text>
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
  const ssoError = params.get("error");
  const session = useSession({ refetchOnMount: "always" });
  const signIn = useSignIn();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  /** The second step: the password was right, and the account has an authenticator. */
  const [secondStep, setSecondStep] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [codeMissing, setCodeMissing] = useState<string | undefined>();
  const codeRef = useRef<HTMLInputElement>(null);

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
  const singleSignOn = session.data?.singleSignOn ?? null;

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
        onError: (error) => {
          if (hasCode(error, "second_factor_needed")) {
            setSecondStep(true);
            return;
          }
          setPassword("");
          passwordRef.current?.focus();
        },
      },
    );
  };

  const startOver = (clearError = true) => {
    setSecondStep(false);
    setUseRecovery(false);
    setCode("");
    setCodeMissing(undefined);
    setPassword("");
    if (clearError) signIn.reset();
    requestAnimationFrame(() => passwordRef.current?.focus());
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    const c = useRecovery ? code.trim() : code.replace(/\s/g, "");
    const missingText = useRecovery
      ? c
        ? undefined
        : "Enter one of your recovery codes"
      : /^\d{6}$/.test(c)
        ? undefined
        : "Enter the 6 digits your authenticator app shows";
    if (missingText) {
      setCodeMissing(missingText);
      return;
    }
    setCodeMissing(undefined);
    signIn.mutate(
      { username: username.trim(), password, code: c },
      {
        onError: (error) => {
          // A wrong code: try again here; anything else (a lockout) starts over.
          if (hasCode(error, "second_factor_failed")) {
            setCode("");
            codeRef.current?.focus();
            return;
          }
          startOver(false);
        },
      },
    );
  };

  const switchCodeKind = () => {
    setUseRecovery((r) => !r);
    setCode("");
    setCodeMissing(undefined);
    requestAnimationFrame(() => codeRef.current?.focus());
  };

  const secondStepForm = (
    <form onSubmit={submitCode} noValidate aria-labelledby="second-step-h">
      <Stack gap="md">
        <div>
          <Title order={1} size="h3" id="second-step-h">
            Two-factor authentication
          </Title>
          <Text size="sm" c="dimmed">
            {useRecovery
              ? `Signing in as ${username.trim()}: enter one of the recovery codes you saved when you set up your authenticator. Each works once.`
              : `Signing in as ${username.trim()}: enter the 6-digit code your authenticator app shows for Accord.`}
          </Text>
        </div>
        {signIn.error ? <SignInProblem error={signIn.error} /> : null}
        {useRecovery ? (
          <TextInput
            key="recovery"
            ref={codeRef}
            label="Recovery code"
            placeholder="xxxx-xxxx-xxxx"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            value={code}
            error={codeMissing}
            onChange={(e) => setCode(e.currentTarget.value)}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          />
        ) : (
          <TextInput
            key="code"
            ref={codeRef}
            label="Authentication code"
            placeholder="123456"
            inputMode="numeric"
            pattern="[0-9]*"
            autoComplete="one-time-code"
            maxLength={6}
            autoFocus
            value={code}
            error={codeMissing}
            onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ""))}
            styles={{
              input: {
                fontFamily: "var(--mantine-font-family-monospace)",
                fontSize: "var(--mantine-font-size-lg)",
                letterSpacing: "0.3em",
              },
            }}
          />
        )}
        <Button type="submit" loading={signIn.isPending} fullWidth>
          Verify and sign in
        </Button>
        <Group justify="space-between" gap="xs">
          <Anchor component="button" type="button" size="sm" onClick={switchCodeKind}>
            {useRecovery ? "Use the authenticator app" : "Use a recovery code"}
          </Anchor>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => startOver()}>
            Start over
          </Anchor>
        </Group>
      </Stack>
    </form>
  );

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
          {secondStep ? (
            secondStepForm
          ) : (
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
                {signIn.error ? (
                  <SignInProblem error={signIn.error} />
                ) : ssoError ? (
                  <SingleSignOnProblem code={ssoError} />
                ) : null}
                {singleSignOn ? (
                  <>
                    {/* A full page navigation: the identity provider's pages are not ours to fetch. */}
                    <Button
                      component="a"
                      href={`${singleSignOn.startUrl}?${new URLSearchParams({ returnTo: next })}`}
                      variant="default"
                      fullWidth
                    >
                      {singleSignOn.label}
                    </Button>
                    <Divider label="or with your Accord password" labelPosition="center" />
                  </>
                ) : null}
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
          )}
        </Paper>
        <Text size="xs" c="dimmed" ta="center">
          Forgot your password? An administrator can reset it.
        </Text>
      </Stack>
    </Box>
  );
}
