import { type DocumentKind, DocumentMetaSchema, type DocumentRecord } from "@accord/domain";
import {
  ActionIcon,
  Box,
  Button,
  Card,
  Group,
  Progress,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import type { FormErrors } from "@mantine/form";
import { type DragEvent, type ReactNode, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../api/client";
import { uploadDocument, useRefreshDocuments } from "../../api/documents";
import { DateField } from "../../components/DateField";
import { IconAlert, IconCheck, IconTrash } from "../../components/icons";
import { errorMessage, maxLengths, schemaErrors, textOrNull } from "../../lib/forms";
import { IconUpload } from "./doc-icons";
import { DOCUMENT_KIND_OPTIONS, ExtractionState, formatSize } from "./document-status";

const META_LIMITS = maxLengths(DocumentMetaSchema);

/** What Accord reads; the server decides from the bytes, this only guides the file picker. */
const ACCEPT = [
  ".pdf",
  ".html",
  ".htm",
  ".txt",
  ".text",
  ".md",
  ".docx",
  "application/pdf",
  "text/html",
  "text/plain",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
].join(",");

type FileState = "waiting" | "uploading" | "sent" | "refused";

interface PendingFile {
  key: string;
  file: File;
  title: string;
  /** What this file is, and its date: each file its own (a memo beside an agreement). */
  kind: DocumentKind;
  date: string;
  state: FileState;
  /** 0–1 while uploading. */
  progress: number;
  error?: string;
  /** The document the server made (or already had: `duplicate`). */
  documentId?: string;
  duplicate?: boolean;
}

/** The title the server would give: the file's name without its extension, underscores as spaces. */
function defaultTitle(name: string): string {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return (stem.trim() || name).replace(/_+/g, " ").slice(0, 500);
}

function uploadError(error: unknown): string {
  if (isApiError(error) && error.status === 413 && !error.problem)
    return "The file is larger than the server accepts";
  return errorMessage(error);
}

/**
 * Adding files to a matter: drop several (or choose them), give each its title, kind and date, say
 * once where they come from (source, public), and send them one by one, each with its own progress
 * bar.
 * Once sent, each row follows its document's text extraction live from the matter's list.
 */
export function DocumentUpload({
  matterKey,
  documents,
  heading = "Add documents",
}: {
  matterKey: string;
  /** The card's heading. */
  heading?: string;
  /** The matter's documents as last polled: the sent files' live status. */
  documents: readonly DocumentRecord[];
}) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [dragging, setDragging] = useState(false);
  const [sourceUrl, setSourceUrl] = useState("");
  const [isPublic, setPublic] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const refresh = useRefreshDocuments();
  const seq = useRef(0);

  const add = (list: FileList | File[] | null) => {
    if (!list || list.length === 0) return;
    const added = [...list].map((file) => ({
      key: `${++seq.current}`,
      file,
      title: defaultTitle(file.name),
      kind: "other" as DocumentKind,
      date: "",
      state: "waiting" as const,
      progress: 0,
    }));
    setFiles((current) => [...current.filter((f) => f.state !== "sent"), ...added]);
  };
  const patch = (key: string, change: Partial<PendingFile>) =>
    setFiles((current) => current.map((f) => (f.key === key ? { ...f, ...change } : f)));

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  const waiting = files.filter((f) => f.state === "waiting" || f.state === "refused");

  const send = async () => {
    const shared = { sourceUrl: textOrNull(sourceUrl), public: isPublic };
    const metaOf = (f: PendingFile) => ({ ...shared, kind: f.kind, date: textOrNull(f.date) });
    const found: FormErrors = {};
    for (const f of waiting) {
      const fileErrors = schemaErrors(DocumentMetaSchema, metaOf(f));
      if (fileErrors.date) found[`date-${f.key}`] = fileErrors.date;
      if (fileErrors.sourceUrl) found.sourceUrl = fileErrors.sourceUrl;
      if (!f.title.trim()) found[`title-${f.key}`] = "Give the document a title";
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      // One at a time: each file has the server's whole attention and its own answer.
      for (const f of waiting) {
        patch(f.key, { state: "uploading", progress: 0, error: undefined });
        try {
          const result = await uploadDocument(
            matterKey,
            f.file,
            { ...metaOf(f), title: f.title.trim() },
            { onProgress: (p) => patch(f.key, { progress: p.total ? p.loaded / p.total : 0 }) },
          );
          const item = result.items[0];
          patch(f.key, {
            state: "sent",
            progress: 1,
            documentId: item?.document.id,
            duplicate: item?.duplicate ?? false,
          });
        } catch (error) {
          patch(f.key, { state: "refused", error: uploadError(error) });
        }
        void refresh();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby={`${inputId}-h`}>
      <Title order={2} size="h4" id={`${inputId}-h`} mb="xs">
        {heading}
      </Title>
      <Box
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-dragging={dragging || undefined}
        className="accord-dropzone"
      >
        <Group gap="md" wrap="nowrap" justify="center">
          <IconUpload size={28} />
          <div>
            <Text size="sm" fw={600}>
              Drop files here, or{" "}
              <UnstyledButton
                onClick={() => input.current?.click()}
                className="accord-dropzone-choose"
                aria-describedby={`${inputId}-hint`}
              >
                choose files
              </UnstyledButton>
            </Text>
            <Text size="xs" c="dimmed" id={`${inputId}-hint`}>
              PDF, HTML, plain text or Word (DOCX); several at once
            </Text>
          </div>
        </Group>
        <input
          ref={input}
          id={inputId}
          type="file"
          multiple
          accept={ACCEPT}
          aria-label="Files to add"
          className="sr-only"
          tabIndex={-1}
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </Box>

      {files.length > 0 ? (
        <Stack gap="sm" mt="md">
          <Stack
            gap={6}
            component="ul"
            aria-label="Files to upload"
            style={{ listStyle: "none", padding: 0, margin: 0 }}
          >
            {files.map((f) => (
              <PendingRow
                key={f.key}
                f={f}
                errors={{ title: errors[`title-${f.key}`], date: errors[`date-${f.key}`] }}
                document={documents.find((d) => d.id === f.documentId)}
                disabled={busy}
                onChange={(change) => patch(f.key, change)}
                onRemove={() => setFiles((current) => current.filter((x) => x.key !== f.key))}
              />
            ))}
          </Stack>
          {waiting.length > 0 ? (
            <>
              <Text size="sm" fw={600}>
                Where {waiting.length === 1 ? "this file comes" : `these ${waiting.length} files come`} from
              </Text>
              <TextInput
                label="Source address"
                placeholder="https://…"
                type="url"
                maxLength={META_LIMITS.sourceUrl}
                value={sourceUrl}
                onChange={(e) => setSourceUrl(e.currentTarget.value)}
                error={errors.sourceUrl}
                description="Where the documents were published (http or https)"
                disabled={busy}
              />
              <Switch
                label="Public"
                description="Anonymous visitors may read them when public reading is on"
                checked={isPublic}
                onChange={(e) => setPublic(e.currentTarget.checked)}
                disabled={busy}
              />
              <Group justify="flex-end" gap="sm">
                <Button
                  variant="default"
                  onClick={() => setFiles((current) => current.filter((f) => f.state === "sent"))}
                  disabled={busy}
                >
                  Cancel
                </Button>
                <Button onClick={() => void send()} loading={busy} leftSection={<IconUpload size={16} />}>
                  {waiting.length === 1 ? "Upload 1 file" : `Upload ${waiting.length} files`}
                </Button>
              </Group>
            </>
          ) : busy ? (
            <Text size="xs" c="dimmed" ta="right" aria-live="polite">
              Uploading {files.filter((f) => f.state === "sent").length + 1} of {files.length}…
            </Text>
          ) : (
            <Group justify="flex-end">
              <Button variant="subtle" size="xs" onClick={() => setFiles([])}>
                Clear this list
              </Button>
            </Group>
          )}
        </Stack>
      ) : null}
    </Card>
  );
}

/** One file of the upload: its title, then its upload progress, then its document's text. */
function PendingRow({
  f,
  errors,
  document,
  disabled,
  onChange,
  onRemove,
}: {
  f: PendingFile;
  errors: { title?: ReactNode; date?: ReactNode };
  document?: DocumentRecord;
  disabled: boolean;
  onChange: (change: Partial<Pick<PendingFile, "title" | "kind" | "date">>) => void;
  onRemove: () => void;
}) {
  const editable = f.state === "waiting" || f.state === "refused";
  return (
    <Box component="li" className="accord-upload-row" aria-label={f.file.name}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Box style={{ flex: 1, minWidth: 0 }}>
          {editable ? (
            <Stack gap={6}>
              <TextInput
                size="xs"
                label={`Title of ${f.file.name}`}
                maxLength={META_LIMITS.title}
                value={f.title}
                onChange={(e) => onChange({ title: e.currentTarget.value })}
                error={errors.title}
                disabled={disabled}
              />
              <Group grow align="flex-start" gap="xs">
                <Select
                  size="xs"
                  label={`Kind of ${f.file.name}`}
                  data={DOCUMENT_KIND_OPTIONS}
                  value={f.kind}
                  onChange={(v) => v && onChange({ kind: v as DocumentKind })}
                  allowDeselect={false}
                  comboboxProps={{ withinPortal: true }}
                  disabled={disabled}
                />
                <DateField
                  partial
                  size="xs"
                  label={`Date of ${f.file.name}`}
                  value={f.date}
                  onChange={(date) => onChange({ date })}
                  error={errors.date}
                  disabled={disabled}
                />
              </Group>
            </Stack>
          ) : document ? (
            <Text size="sm" fw={600} component={Link} to={`/documents/${document.id}`} c="inherit" td="none">
              {document.title}
            </Text>
          ) : (
            <Text size="sm" fw={600}>
              {f.title}
            </Text>
          )}
          <Text size="xs" c="dimmed" mt={2}>
            {f.file.name} · {formatSize(f.file.size)}
          </Text>
        </Box>
        <Box w={260} style={{ flexShrink: 0 }} pt={editable ? 22 : 0}>
          {f.state === "uploading" ? (
            <Stack gap={2}>
              <Text size="xs">Uploading… {Math.round(f.progress * 100)}%</Text>
              <Progress value={f.progress * 100} size="sm" aria-label={`Upload of ${f.file.name}`} />
            </Stack>
          ) : f.state === "refused" ? (
            <Group gap={4} wrap="nowrap" align="flex-start">
              <IconAlert size={14} color="var(--mantine-color-red-7)" />
              <Text size="xs" c="red.8" role="alert">
                Not added: {f.error}
              </Text>
            </Group>
          ) : f.state === "sent" ? (
            <Stack gap={4}>
              <Group gap={4} wrap="nowrap">
                <IconCheck size={14} color="var(--mantine-color-teal-7)" />
                <Text size="xs">{f.duplicate ? "Already on this matter: nothing added" : "Uploaded"}</Text>
              </Group>
              {document ? <ExtractionState d={document} /> : null}
            </Stack>
          ) : (
            <Text size="xs" c="dimmed">
              Ready to upload
            </Text>
          )}
        </Box>
        {editable ? (
          <ActionIcon
            variant="subtle"
            color="gray"
            mt={22}
            aria-label={`Remove ${f.file.name} from the list`}
            onClick={onRemove}
            disabled={disabled}
          >
            <IconTrash size={16} />
          </ActionIcon>
        ) : null}
      </Group>
    </Box>
  );
}
