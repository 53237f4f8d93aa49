import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  List,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { isApiError } from "../../api/client";
import { useConfirmTotp, useRemoveTotp, useSession, useStartTotp } from "../../api/session";
import { IconAlert, IconCheck, IconCopy, IconDownload, IconExternal } from "../../components/icons";
import { ProblemAlert } from "../../components/ProblemAlert";
import { QrCode } from "../../components/QrCode";
import { errorMessage } from "../../lib/forms";
import { localPath } from "../../lib/url-state";

/** A field's message from a 400's `errors`, when the server named that field. */
function fieldError(error: unknown, path: string): string | null {
  if (!isApiError(error)) return null;
  const hit = error.problem?.errors?.find((e) => e.path.replace(/^body\.?|^\//, "") === path);
  return hit ? hit.message : null;
}

/** A base32 secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

function CopyIcon({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? "Copied" : "Copy"} withArrow position="left">
          <ActionIcon
            variant={copied ? "filled" : "light"}
            color={copied ? "teal" : "indigo"}
            onClick={copy}
            aria-label={copied ? "Copied" : label}
          >
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** The ten recovery codes, shown once right after enrolling. */
function RecoveryCodes({
  codes,
  username,
  onDone,
}: {
  codes: string[];
  username: string;
  onDone: () => void;
}) {
  const text = `Accord recovery codes for ${username}\nEach code signs you in once, instead of the authenticator app's code.\n\n${codes.join("\n")}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `accord-recovery-codes-${username}.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <Stack gap="sm" maw={520}>
      <Alert
        color="yellow"
        variant="light"
        icon={<IconAlert />}
        title="Save your recovery codes now: they are shown only once"
      >
        <Text size="sm">
          If you lose your phone, each of these codes signs you in once instead of the app's code. Keep them
          somewhere safe, apart from your phone (a password manager, or printed). Accord keeps only hashes of
          them.
        </Text>
      </Alert>
      <SimpleGrid
        cols={2}
        spacing="xs"
        verticalSpacing={4}
        component="ol"
        aria-label="Recovery codes"
        className="accord-recovery-codes"
        p="sm"
        m={0}
        style={{
          listStyle: "none",
          border: "1px solid var(--mantine-color-default-border)",
          borderRadius: "var(--mantine-radius-sm)",
          fontFamily: "var(--mantine-font-family-monospace)",
        }}
      >
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </SimpleGrid>
      <Group gap="sm">
        <CopyButton value={codes.join("\n")} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              color={copied ? "teal" : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? "Copied" : "Copy all"}
            </Button>
          )}
        </CopyButton>
        <Button variant="light" leftSection={<IconDownload size={16} />} onClick={download}>
          Download as .txt
        </Button>
        <Button onClick={onDone}>I have saved them</Button>
      </Group>
    </Stack>
  );
}

/** Settings › Two-factor authentication: set up an authenticator app, or remove it. */
export function TwoFactorSection() {
  const session = useSession();
  const totp = session.data?.totp;
  const username = session.data?.user?.username ?? "";
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const remove = useRemoveTotp();
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [removing, setRemoving] = useState(false);
  const [password, setPassword] = useState("");
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // The page the user asked for when a required second factor sent them here (RequireSession).
  const then = localPath(params.get("then"));

  if (!totp) return null;
  const enrolling = start.data && !totp.enabled && !recoveryCodes;

  const cancel = () => {
    start.reset();
    confirm.reset();
    setCode("");
    setCodeError(null);
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    const c = code.replace(/\s/g, "");
    if (!/^\d{6}$/.test(c)) {
      setCodeError("Enter the 6 digits the app shows");
      return;
    }
    setCodeError(null);
    confirm.mutate(c, {
      onSuccess: (answer) => {
        setRecoveryCodes(answer.recoveryCodes);
        setCode("");
        start.reset();
      },
      onError: (error) => {
        const msg = fieldError(error, "code");
        setCodeError(
          msg ? "That code does not match: check the phone's clock, then try the next code" : null,
        );
        setCode("");
      },
    });
  };

  const submitRemove = (e: FormEvent) => {
    e.preventDefault();
    if (!password) {
      setPasswordError("Enter your password");
      return;
    }
    setPasswordError(null);
    remove.mutate(password, {
      onSuccess: () => {
        setRemoving(false);
        setPassword("");
        notifications.show({
          color: "teal",
          title: "Two-factor authentication is off",
          message: "Your recovery codes no longer work.",
        });
      },
      onError: (error) => {
        setPasswordError(fieldError(error, "password") ? "Wrong password" : errorMessage(error));
        setPassword("");
      },
    });
  };

  const closeRemove = () => {
    setRemoving(false);
    setPassword("");
    setPasswordError(null);
    remove.reset();
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="totp-h">
      <Group gap="sm" mb={4}>
        <Title order={2} size="h4" id="totp-h">
          Two-factor authentication
        </Title>
        {totp.enabled ? (
          <Badge color="teal" variant="light" radius="sm" tt="none">
            On
          </Badge>
        ) : (
          <Badge color="gray" variant="light" radius="sm" tt="none">
            Off
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {totp.enabled
          ? "Signing in asks for your password and a code from your authenticator app."
          : "Signing in with a password alone; add an authenticator app so a stolen password is not enough."}
        {totp.required ? " Your role must use it." : null}
      </Text>

      {recoveryCodes ? (
        <RecoveryCodes
          codes={recoveryCodes}
          username={username}
          onDone={() => {
            setRecoveryCodes(null);
            if (then) navigate(then, { replace: true });
          }}
        />
      ) : enrolling && start.data ? (
        <Stack gap="md" maw={640}>
          <div>
            <Text fw={600} size="sm" mb={4}>
              1. Add Accord to your authenticator app
            </Text>
            <Group align="flex-start" gap="lg" wrap="wrap">
              <QrCode value={start.data.otpauthUrl} label="QR code for your authenticator app" />
              <Stack gap="xs" style={{ flex: "1 1 240px" }}>
                <Text size="sm">
                  Scan this code with the app. On a phone with the app,{" "}
                  <Anchor href={start.data.otpauthUrl}>
                    Open in authenticator app <IconExternal size={12} />
                  </Anchor>
                  ; or, in the app, add an account by hand (time-based) with this secret key:
                </Text>
                <TextInput
                  label="Secret key"
                  value={grouped(start.data.secret)}
                  readOnly
                  onFocus={(e) => e.currentTarget.select()}
                  styles={{
                    input: { fontFamily: "var(--mantine-font-family-monospace)", letterSpacing: "0.05em" },
                  }}
                  rightSectionWidth={42}
                  rightSection={<CopyIcon value={start.data.secret} label="Copy the secret key" />}
                />
              </Stack>
            </Group>
          </div>
          <form onSubmit={submitCode} noValidate aria-label="Confirm the authenticator app">
            <Text fw={600} size="sm" mb={4}>
              2. Enter the 6-digit code the app now shows
            </Text>
            <Group align="flex-start" gap="sm">
              <TextInput
                label="Code from the app"
                placeholder="123456"
                inputMode="numeric"
                pattern="[0-9]*"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                value={code}
                error={codeError}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ""))}
                w={200}
                styles={{
                  input: { fontFamily: "var(--mantine-font-family-monospace)", letterSpacing: "0.2em" },
                }}
              />
              <Button type="submit" mt={25} loading={confirm.isPending}>
                Turn on
              </Button>
              <Button variant="default" mt={25} onClick={cancel} disabled={confirm.isPending}>
                Cancel
              </Button>
            </Group>
            {confirm.error && !codeError ? (
              <ProblemAlert error={confirm.error} title="Two-factor authentication was not turned on" />
            ) : null}
          </form>
        </Stack>
      ) : totp.enabled ? (
        <Group>
          <Button variant="light" color="red" onClick={() => setRemoving(true)}>
            Remove
          </Button>
        </Group>
      ) : (
        <Stack gap="sm" align="flex-start">
          <Text size="sm">
            You need an authenticator app on your phone (any app that shows 6-digit codes).
          </Text>
          <List size="sm" spacing={2}>
            <List.Item>You add Accord to the app, then enter the code it shows.</List.Item>
            <List.Item>You get ten one-time recovery codes, for when the phone is lost.</List.Item>
          </List>
          <Button onClick={() => start.mutate()} loading={start.isPending}>
            Set up
          </Button>
          {start.error ? <ProblemAlert error={start.error} title="Could not start the set-up" /> : null}
        </Stack>
      )}

      <Modal opened={removing} onClose={closeRemove} title="Remove two-factor authentication?" centered>
        <form onSubmit={submitRemove} noValidate aria-label="Remove two-factor authentication">
          <Stack gap="md">
            <Text size="sm">
              Signing in will ask only for your password, and your recovery codes stop working.
              {totp.required ? " Your role must use it: you will have to set it up again to go on." : null}
            </Text>
            <PasswordInput
              label="Your password"
              autoComplete="current-password"
              data-autofocus
              value={password}
              error={passwordError}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={closeRemove} disabled={remove.isPending}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={remove.isPending}>
                Remove
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}
