import "./documents.css";
import type { Matter } from "@accord/domain";
import { Card, Stack, Text } from "@mantine/core";
import { isPending, useMatterDocuments } from "../../api/documents";
import { useCan } from "../../api/session";
import { Empty } from "../../components/Empty";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TableSkeleton } from "../../components/TableSkeleton";
import { MatterDecreeParses } from "../provisions/ParseActions";
import { DocumentsTable } from "./DocumentsTable";
import { DocumentUpload } from "./DocumentUpload";

/** The Documents tab's label, with the count once it is known. */
export function DocumentsTabLabel({ matterKey }: { matterKey: string }) {
  const { data } = useMatterDocuments(matterKey);
  return <>{data ? `Documents (${data.items.length})` : "Documents"}</>;
}

/**
 * A matter's documents: the upload for those who may write to the registry, then the list, its
 * text extraction followed live (the list is asked for again every second while any is read).
 */
export function MatterDocuments({ matter }: { matter: Matter }) {
  const canWrite = useCan("registry:write");
  const result = useMatterDocuments(matter.slug);
  const documents = result.data?.items ?? [];
  const reading = documents.filter((d) => isPending(d.status)).length;
  return (
    <Stack gap="md">
      {canWrite ? <DocumentUpload matterKey={matter.slug} documents={documents} /> : null}
      <MatterDecreeParses matter={matter} documents={documents} />
      {result.error ? (
        <ProblemAlert error={result.error} onRetry={() => result.refetch()} />
      ) : result.isPending ? (
        <TableSkeleton rows={4} />
      ) : documents.length === 0 ? (
        <Card withBorder>
          <Empty title="No documents yet">
            {canWrite
              ? "Add the decree, findings, monitor's reports and filings above: their text becomes searchable."
              : null}
          </Empty>
        </Card>
      ) : (
        <Stack gap={6}>
          <Text size="sm" c="dimmed" aria-live="polite">
            {documents.length} {documents.length === 1 ? "document" : "documents"}
            {reading > 0 ? ` · reading the text of ${reading}…` : ""}
          </Text>
          <DocumentsTable documents={documents} label="Documents" />
        </Stack>
      )}
    </Stack>
  );
}
