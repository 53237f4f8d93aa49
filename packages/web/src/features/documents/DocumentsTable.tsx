import { DOCUMENT_KIND_LABELS, type DocumentRecord } from "@accord/domain";
import { ActionIcon, Anchor, Badge, Group, Modal, Table, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link } from "react-router";
import { useDeleteDocument } from "../../api/documents";
import { useCan, useCurrentUser } from "../../api/session";
import { ConfirmModal } from "../../components/ConfirmModal";
import { IconTrash } from "../../components/icons";
import { ScrollRegion } from "../../components/ScrollRegion";
import { errorMessage } from "../../lib/forms";
import { DocumentEditForm } from "./DocumentEditForm";
import { IconPencil } from "./doc-icons";
import { DuplicateBadges, documentDate, ExtractionState, formatSize } from "./document-status";

/**
 * Documents as a table: title (to the viewer), kind, date, the state of their text (live while
 * it is read), duplicates; edit and delete for those who may write to the registry.
 */
export function DocumentsTable({
  documents,
  label,
  showMatter = false,
}: {
  documents: readonly DocumentRecord[];
  /** The table's accessible name. */
  label: string;
  /** A column with each document's matter (for lists across matters). */
  showMatter?: boolean;
}) {
  const canWrite = useCan("registry:write");
  const signedIn = useCurrentUser() !== null;
  const [editing, setEditing] = useState<DocumentRecord | null>(null);
  const [deleting, setDeleting] = useState<DocumentRecord | null>(null);
  const remove = useDeleteDocument();
  return (
    <>
      <ScrollRegion label={label}>
        <Table
          withTableBorder
          highlightOnHover
          className="accord-table"
          aria-label={label}
          verticalSpacing={6}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Title</Table.Th>
              {showMatter ? <Table.Th>Matter</Table.Th> : null}
              <Table.Th>Kind</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th>Text</Table.Th>
              {canWrite ? (
                <Table.Th>
                  <span className="sr-only">Actions</span>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {documents.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td miw={260} maw={480}>
                  <Anchor component={Link} to={`/documents/${d.id}`} size="sm" fw={600} lh={1.35}>
                    {d.title}
                  </Anchor>
                  <Group gap={6} mt={2}>
                    <Text size="xs" c="dimmed">
                      {d.filename} · {formatSize(d.size)}
                    </Text>
                    {signedIn && d.public ? (
                      <Badge size="xs" variant="light" color="teal" radius="sm" tt="none">
                        Public
                      </Badge>
                    ) : null}
                  </Group>
                  <DuplicateBadges d={d} />
                </Table.Td>
                {showMatter ? (
                  <Table.Td miw={200} maw={280}>
                    {d.matter ? (
                      <Anchor component={Link} to={`/matters/${d.matter.slug}/documents`} size="xs">
                        {d.matter.title}
                      </Anchor>
                    ) : (
                      <Text size="xs" c="dimmed">
                        Department-wide
                      </Text>
                    )}
                  </Table.Td>
                ) : null}
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <Text size="sm">{DOCUMENT_KIND_LABELS[d.kind]}</Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <Text size="sm" c={d.date ? undefined : "dimmed"}>
                    {documentDate(d.date)}
                  </Text>
                </Table.Td>
                <Table.Td w={220}>
                  <ExtractionState d={d} />
                </Table.Td>
                {canWrite ? (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Tooltip label="Edit">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Edit ${d.title}`}
                          onClick={() => setEditing(d)}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${d.title}`}
                          onClick={() => setDeleting(d)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Edit document" size="lg">
        {editing ? (
          <DocumentEditForm key={editing.id} document={editing} onDone={() => setEditing(null)} />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete this document?"
        confirmLabel="Delete document"
        busy={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          // The list is polled while text is read: its row has the version as it stands now.
          const current = documents.find((d) => d.id === deleting.id) ?? deleting;
          remove.mutate(
            { id: current.id, version: current.version },
            {
              onSuccess: () => {
                notifications.show({ color: "teal", title: "Deleted", message: deleting.title });
                setDeleting(null);
              },
              onError: (error) =>
                notifications.show({ color: "red", title: "Not deleted", message: errorMessage(error) }),
            },
          );
        }}
      >
        <Text size="sm">
          “{deleting?.title}” and its text will be removed from the registry and from search. The file itself
          is kept while another document uses it.
        </Text>
      </ConfirmModal>
    </>
  );
}
