import {
  type CreateWebhook,
  type DELIVERY_STATUSES,
  WEBHOOK_EVENT_KINDS,
  type Webhook,
  type WebhookDelivery,
} from "@accord/domain";
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useRedeliver,
  useWebhooks,
} from "../../api/webhooks";
import { ConfirmModal } from "../../components/ConfirmModal";
import { Empty } from "../../components/Empty";
import { IconPlus } from "../../components/icons";
import { OneTimeSecretPanel } from "../../components/OneTimeSecret";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { formatTime } from "../../lib/audit";
import { errorMessage } from "../../lib/forms";
import { readPage, useUrlState } from "../../lib/url-state";

type Status = (typeof DELIVERY_STATUSES)[number];
const STATUS_COLOR: Record<Status, string> = { pending: "yellow", delivered: "teal", failed: "red" };
/** A badge the table does not squeeze into an ellipsis. */
const WHOLE_BADGE = { root: { flexShrink: 0, overflow: "visible" }, label: { overflow: "visible" } };
const STATUS_LABEL: Record<Status, string> = { pending: "Pending", delivered: "Delivered", failed: "Failed" };

function RegisterModal({
  opened,
  allowPrivate,
  onClose,
}: {
  opened: boolean;
  allowPrivate: boolean;
  onClose: () => void;
}) {
  const create = useCreateWebhook();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [kinds, setKinds] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ url?: string; kinds?: string }>({});
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);

  const close = () => {
    setUrl("");
    setDescription("");
    setKinds([]);
    setErrors({});
    setSecret(null);
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!/^https?:\/\/\S+$/.test(url.trim()))
      next.url = "An http(s) address, such as https://example.org/accord";
    if (!kinds.length) next.kinds = "Choose at least one kind of event";
    setErrors(next);
    if (next.url || next.kinds) return;
    const body: CreateWebhook = {
      url: url.trim(),
      kinds: kinds as CreateWebhook["kinds"],
      ...(description.trim() ? { description: description.trim() } : {}),
    };
    create.mutate(body, { onSuccess: (hook) => setSecret({ url: hook.url, secret: hook.secret }) });
  };

  return (
    <Modal opened={opened} onClose={close} title="Register a webhook" size="lg" centered>
      {secret ? (
        <OneTimeSecretPanel label={`Signing secret for ${secret.url}`} value={secret.secret} onDone={close}>
          The receiver checks each delivery's X-Accord-Signature (HMAC-SHA256 of the timestamp and the body)
          with it.
        </OneTimeSecretPanel>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Register webhook">
          <Stack gap="sm">
            <TextInput
              label="Receiver address"
              description={
                allowPrivate
                  ? "Any http(s) address, private and loopback ones included (allowed on this server)"
                  : "A public http(s) address (private and loopback ones are refused on this server)"
              }
              placeholder="https://example.org/accord"
              value={url}
              error={errors.url}
              maxLength={2000}
              required
              onChange={(e) => setUrl(e.currentTarget.value)}
            />
            <TextInput
              label="Description"
              placeholder="e.g. The city's docket system"
              value={description}
              maxLength={200}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Checkbox.Group
              label="Events to send"
              value={kinds}
              onChange={setKinds}
              error={errors.kinds}
              required
            >
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing={6} mt={6}>
                {WEBHOOK_EVENT_KINDS.map((k) => (
                  <Checkbox key={k} value={k} label={k} size="sm" />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
            {create.error ? (
              <ProblemAlert error={create.error} title="The webhook was not registered" />
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Register
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function DeliveryRow({ delivery }: { delivery: WebhookDelivery }) {
  const redeliver = useRedeliver();
  return (
    <Table.Tr>
      <Table.Td>{formatTime(delivery.createdAt)}</Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {delivery.kind}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge
          color={STATUS_COLOR[delivery.status]}
          variant="light"
          radius="sm"
          tt="none"
          styles={WHOLE_BADGE}
        >
          {STATUS_LABEL[delivery.status]}
        </Badge>
      </Table.Td>
      <Table.Td ta="right">{delivery.attempts}</Table.Td>
      <Table.Td ta="right">{delivery.responseCode ?? "—"}</Table.Td>
      <Table.Td>
        <Text size="xs" c={delivery.lastError ? undefined : "dimmed"} lineClamp={2}>
          {delivery.status === "delivered" && delivery.deliveredAt
            ? `Delivered ${formatTime(delivery.deliveredAt)}`
            : (delivery.lastError ?? "—")}
          {delivery.status === "pending" && delivery.nextAttemptAt
            ? ` · next try ${formatTime(delivery.nextAttemptAt)}`
            : ""}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Button
          size="compact-sm"
          variant="subtle"
          loading={redeliver.isPending}
          aria-label={`Send again: ${delivery.kind} of ${formatTime(delivery.createdAt)}`}
          onClick={() =>
            redeliver.mutate(delivery.id, {
              onSuccess: () =>
                notifications.show({ color: "teal", title: "Sending again", message: delivery.kind }),
              onError: (error) =>
                notifications.show({ color: "red", title: "Not sent again", message: errorMessage(error) }),
            })
          }
        >
          Send again
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** One webhook's deliveries log, newest first, paged on the server. */
function Deliveries({ hook }: { hook: Webhook }) {
  const { params, update } = useUrlState();
  const page = readPage(params, 25);
  const deliveries = useDeliveries(hook.id, page);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="deliveries-h">
      <Title order={2} size="h4" id="deliveries-h" mb={4}>
        Deliveries to {hook.url}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Each change is signed and sent once; a failure is retried with growing waits, then marked failed.
        “Send again” starts a new round of attempts at once.
      </Text>
      {deliveries.error ? (
        <ProblemAlert error={deliveries.error} onRetry={() => deliveries.refetch()} />
      ) : !deliveries.data ? (
        <TableSkeleton rows={3} />
      ) : deliveries.data.items.length === 0 ? (
        <Empty title="Nothing sent yet" />
      ) : (
        <Stack gap="sm">
          <Table withTableBorder striped className="accord-table" aria-label="Deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Queued</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Attempts</Table.Th>
                <Table.Th ta="right">Response</Table.Th>
                <Table.Th>Last result</Table.Th>
                <Table.Th>
                  <span className="sr-only">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.data.items.map((d) => (
                <DeliveryRow key={d.id} delivery={d} />
              ))}
            </Table.Tbody>
          </Table>
          <Pager
            total={deliveries.data.total}
            limit={page.limit}
            offset={page.offset}
            onChange={(patch) => update(patch, { keepOffset: true })}
            noun="deliveries"
          />
        </Stack>
      )}
    </Card>
  );
}

/**
 * Webhooks for other systems: an administrator registers a receiver and the kinds of event it
 * gets, reads each one's deliveries (status, attempts, the receiver's answer) and sends one again.
 */
export function WebhooksPage() {
  const hooks = useWebhooks();
  const remove = useDeleteWebhook();
  const { params, update } = useUrlState();
  const [registering, setRegistering] = useState(false);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const selectedId = params.get("webhook");
  const selected = hooks.data?.items.find((h) => h.id === selectedId) ?? null;

  return (
    <>
      <PageTitle
        title="Webhooks"
        subtitle="Signed notices of changes, sent to other systems"
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setRegistering(true)}>
            Register webhook
          </Button>
        }
      />
      <Stack gap="md">
        {hooks.error ? (
          <ProblemAlert error={hooks.error} onRetry={() => hooks.refetch()} />
        ) : hooks.isPending ? (
          <TableSkeleton rows={2} />
        ) : hooks.data.items.length === 0 ? (
          <Empty title="No webhooks registered" />
        ) : (
          <Table withTableBorder className="accord-table" aria-label="Webhooks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Receiver</Table.Th>
                <Table.Th>Events</Table.Th>
                <Table.Th>Registered</Table.Th>
                <Table.Th>
                  <span className="sr-only">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data.items.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>
                    <Text size="sm" fw={600} style={{ wordBreak: "break-all" }}>
                      {h.url}
                    </Text>
                    {h.description ? (
                      <Text size="xs" c="dimmed">
                        {h.description}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {h.kinds.map((k) => (
                        <Badge key={k} size="sm" variant="outline" radius="sm" tt="none">
                          {k}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatTime(h.createdAt)}</Text>
                    <Text size="xs" c="dimmed">
                      by {h.createdBy}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant={h.id === selectedId ? "filled" : "light"}
                        aria-label={`Deliveries to ${h.url}`}
                        onClick={() => update({ webhook: h.id === selectedId ? null : h.id, offset: null })}
                      >
                        Deliveries
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${h.url}`}
                        onClick={() => setRemoving(h)}
                      >
                        Remove
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {selected ? <Deliveries hook={selected} /> : null}
      </Stack>

      <RegisterModal
        opened={registering}
        allowPrivate={hooks.data?.allowPrivate ?? false}
        onClose={() => setRegistering(false)}
      />
      <ConfirmModal
        opened={removing !== null}
        title="Remove this webhook?"
        confirmLabel="Remove webhook"
        busy={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          if (!removing) return;
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifications.show({ color: "teal", title: "Webhook removed", message: removing.url });
              if (removing.id === selectedId) update({ webhook: null });
              setRemoving(null);
            },
            onError: (error) =>
              notifications.show({ color: "red", title: "Not removed", message: errorMessage(error) }),
          });
        }}
      >
        <Text size="sm">
          <strong>{removing?.url}</strong> gets nothing more, and its deliveries log is deleted with it.
        </Text>
      </ConfirmModal>
    </>
  );
}
