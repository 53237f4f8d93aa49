import { Button, Card, CloseButton, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useMatterDocuments } from "../../api/documents";
import { fetchMatterOptions } from "../../api/hooks";
import { type RemoteOption, RemoteSelect } from "../../components/RemoteSelect";
import { DocumentUpload } from "./DocumentUpload";
import { IconUpload } from "./doc-icons";

/**
 * Adding documents from the department-wide list: choose the matter they belong to (a document
 * is filed on a matter), then drop the files as on the matter's Documents tab.
 */
export function AddDocuments() {
  const [open, setOpen] = useState(false);
  const [matter, setMatter] = useState<RemoteOption | null>(null);
  const documents = useMatterDocuments(matter?.value).data?.items ?? [];
  if (!open) {
    return (
      <Button leftSection={<IconUpload size={16} />} onClick={() => setOpen(true)}>
        Add documents
      </Button>
    );
  }
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-labelledby="add-documents-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Title order={2} size="h4" id="add-documents-title">
            Add documents
          </Title>
          <CloseButton aria-label="Close adding documents" onClick={() => setOpen(false)} />
        </Group>
        <RemoteSelect
          queryKey="add-documents-matter"
          label="Matter"
          description="Each document is filed on a matter; its text becomes searchable."
          placeholder="Choose the matter"
          w={420}
          maw="100%"
          value={matter?.value ?? null}
          selected={matter}
          fetchOptions={async (q) =>
            (await fetchMatterOptions(q)).items.map((m) => ({ value: m.slug, label: m.title }))
          }
          onChange={(_, option) => setMatter(option)}
          comboboxProps={{ withinPortal: true }}
        />
        {matter ? (
          // Keyed by the matter: choosing another starts a fresh list of files.
          <DocumentUpload
            key={matter.value}
            matterKey={matter.value}
            documents={documents}
            heading={`Files for ${matter.label}`}
          />
        ) : (
          <Text size="sm" c="dimmed">
            Choose a matter first.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
