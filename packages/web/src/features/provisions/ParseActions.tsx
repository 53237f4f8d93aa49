import type { DecreeParseListItem, DocumentRecord, Matter } from "@accord/domain";
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useNavigate } from "react-router";
import { useMatterParses, useParseDocument } from "../../api/provisions";
import { useCan } from "../../api/session";
import { IconProvisions } from "../../components/icons";
import { formatDateTime } from "../../lib/dates";
import { errorMessage } from "../../lib/forms";

/** Documents whose text is split into provisions. */
export function isParseable(d: Pick<DocumentRecord, "kind">): boolean {
  return d.kind === "decree" || d.kind === "agreement";
}

const PARSE_STATUS_LABELS: Record<DecreeParseListItem["status"], string> = {
  draft: "Draft to check",
  accepted: "Accepted",
  discarded: "Superseded",
};
const PARSE_STATUS_COLORS: Record<DecreeParseListItem["status"], string> = {
  draft: "orange",
  accepted: "teal",
  discarded: "gray",
};

export function ParseStatusBadge({ status }: { status: DecreeParseListItem["status"] }) {
  return (
    <Badge size="sm" variant="light" color={PARSE_STATUS_COLORS[status]} radius="sm" tt="none">
      {PARSE_STATUS_LABELS[status]}
    </Badge>
  );
}

/**
 * "Find provisions" on a decree or agreement: splits its text into provisions and opens the draft
 * to check. Offered to those who may write to the registry, once the document's text is read.
 */
export function ParseDocumentButton({
  document,
  size = "sm",
  variant = "default",
}: {
  document: Pick<DocumentRecord, "id" | "kind" | "status" | "title">;
  size?: "xs" | "sm";
  variant?: "default" | "light" | "filled";
}) {
  const canWrite = useCan("registry:write");
  const navigate = useNavigate();
  const parse = useParseDocument();
  if (!canWrite || !isParseable(document)) return null;
  const ready = document.status === "ready";
  const button = (
    <Button
      size={size}
      variant={variant}
      leftSection={<IconProvisions size={16} />}
      disabled={!ready}
      loading={parse.isPending}
      aria-label={size === "xs" ? `Find provisions in ${document.title}` : undefined}
      onClick={() =>
        parse.mutate(document.id, {
          onSuccess: (p) => navigate(`/parses/${p.id}`),
          onError: (error) =>
            notifications.show({ color: "red", title: "Provisions not found", message: errorMessage(error) }),
        })
      }
    >
      Find provisions
    </Button>
  );
  return ready ? (
    button
  ) : (
    <Tooltip
      label={document.status === "failed" ? "Its text could not be read" : "Its text is still being read"}
    >
      <span>{button}</span>
    </Tooltip>
  );
}

/**
 * On a matter's Documents tab: its decrees and agreements, each with "Find provisions", and the
 * parses made so far (a draft waits to be checked). Only for signed-in readers.
 */
export function MatterDecreeParses({
  matter,
  documents,
}: {
  matter: Pick<Matter, "slug">;
  documents: readonly DocumentRecord[];
}) {
  const canRead = useCan("registry:read");
  const decrees = documents.filter(isParseable);
  const parses = useMatterParses(matter.slug, canRead && decrees.length > 0);
  if (!canRead || decrees.length === 0) return null;
  const items = parses.data?.items ?? [];
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="decree-parses-h">
      <Group justify="space-between" mb={6} wrap="wrap">
        <Title order={2} size="h5" id="decree-parses-h">
          Provisions from the decree
        </Title>
        <Anchor component={Link} to={`/matters/${matter.slug}/provisions`} size="sm">
          Open the provisions →
        </Anchor>
      </Group>
      <Stack gap={6}>
        {decrees.map((d) => (
          <Group key={d.id} justify="space-between" gap="sm" wrap="nowrap">
            <Anchor component={Link} to={`/documents/${d.id}`} size="sm" lineClamp={1}>
              {d.title}
            </Anchor>
            <ParseDocumentButton document={d} size="xs" />
          </Group>
        ))}
        {items.length > 0 ? (
          <Table className="accord-table" verticalSpacing={2} fz="sm" mt={4}>
            <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
              <Text span size="xs" c="dimmed">
                Parses of the decree, newest first
              </Text>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Made</Table.Th>
                <Table.Th>Document</Table.Th>
                <Table.Th>Provisions</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.slice(0, 5).map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    <Anchor component={Link} to={`/parses/${p.id}`} size="sm">
                      {formatDateTime(p.createdAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {p.document.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.provisionCount}</Table.Td>
                  <Table.Td>
                    <ParseStatusBadge status={p.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
    </Card>
  );
}
