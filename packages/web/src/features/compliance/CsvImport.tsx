import {
  type ImportAssessmentsResult,
  type Matter,
  type Problem,
  RATER_LABELS,
  RATERS,
  type Rater,
} from "@accord/domain";
import {
  Alert,
  Anchor,
  Button,
  Code,
  FileButton,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { type DragEvent, useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../api/client";
import { useImportAssessments, usePeriods } from "../../api/compliance";
import { useMatterDocuments } from "../../api/documents";
import { Empty } from "../../components/Empty";
import { IconAlert, IconCheck } from "../../components/icons";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDate } from "../../lib/dates";
import { plural } from "./levels";

/** Five megabytes: what the server takes in one import. */
const MAX_BYTES = 5_000_000;

/** "row 4, field level" → ["4", "level"]; anything else stays whole. */
function splitPath(path: string): { row: string; field: string } {
  const m = /^row (\d+)(?:, field (.+))?$/.exec(path);
  return m ? { row: m[1] ?? "", field: m[2] ?? "" } : { row: "", field: path };
}

/** The rows the server refused, each with its row number (as a spreadsheet shows it) and why. */
function RejectedRows({ problem }: { problem: Problem }) {
  const errors = problem.errors ?? [];
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title="Nothing was imported" role="alert">
      <Text size="sm">
        {errors.length
          ? `${errors.length === 1 ? "One row" : `${errors.length} rows`} cannot be imported. Correct ${
              errors.length === 1 ? "it" : "them"
            } and import the file again: the import takes every row or none.`
          : (problem.detail ?? "The file cannot be imported.")}
      </Text>
      {errors.length ? (
        <Table className="accord-table" verticalSpacing={4} mt="sm" aria-label="Rejected rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60}>Row</Table.Th>
              <Table.Th w={120}>Field</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((e) => {
              const { row, field } = splitPath(e.path);
              return (
                <Table.Tr key={`${e.path}-${e.message}`}>
                  <Table.Td fw={600}>{row || "—"}</Table.Td>
                  <Table.Td>{field}</Table.Td>
                  <Table.Td style={{ whiteSpace: "normal" }}>{e.message}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
    </Alert>
  );
}

function Result({ result, periodLabel }: { result: ImportAssessmentsResult; periodLabel: string }) {
  return (
    <Alert color="teal" variant="light" icon={<IconCheck />} title="Ratings imported" role="status">
      <Text size="sm">
        {plural(result.rows, "row")} read{periodLabel ? ` for ${periodLabel}` : ""}: {result.created} added,{" "}
        {result.updated} changed, {result.unchanged} unchanged, {result.removed} removed.
      </Text>
      {result.ignoredColumns.length ? (
        <Text size="xs" c="dimmed" mt={4}>
          Columns not read: {result.ignoredColumns.join(", ")}.
        </Text>
      ) : null}
      <Group mt="xs" gap="sm">
        <Anchor component={Link} to="?view=charts" size="sm">
          See the charts
        </Anchor>
        <Anchor component={Link} to="?view=grid" size="sm">
          Open the rating grid
        </Anchor>
      </Group>
    </Alert>
  );
}

/** Import a monitor report's table of ratings as CSV: one transaction, bad rows named. */
export function CsvImport({ matter }: { matter: Matter }) {
  const periods = usePeriods(matter.slug);
  const docs = useMatterDocuments(matter.slug);
  const run = useImportAssessments(matter.slug);
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [rater, setRater] = useState<Rater>("monitor");
  const [dragging, setDragging] = useState(false);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [result, setResult] = useState<ImportAssessmentsResult | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);

  const take = async (f: File | null) => {
    setResult(null);
    setProblem(null);
    setOtherError(null);
    setFileProblem(null);
    setFile(f);
    setCsv(null);
    if (!f) return;
    if (f.size > MAX_BYTES) {
      setFileProblem(`${f.name} is ${(f.size / 1e6).toFixed(1)} MB; an import takes at most 5 MB.`);
      return;
    }
    setCsv(await f.text());
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void take(e.dataTransfer.files[0] ?? null);
  };

  if (periods.isPending) return <Skeleton height={200} />;
  if (periods.isError) return <ProblemAlert error={periods.error} onRetry={() => periods.refetch()} />;
  const list = periods.data.items;
  if (list.length === 0)
    return (
      <Empty title="No reporting periods yet">
        Add the period the report covers under{" "}
        <Anchor component={Link} to="?view=setup">
          Scale &amp; periods
        </Anchor>{" "}
        first.
      </Empty>
    );
  const period = list.find((p) => p.id === periodId) ?? list.at(-1);
  const lines = csv ? csv.split(/\r?\n/).filter((l) => l.trim()).length - 1 : 0;
  const header = csv?.split(/\r?\n/, 1)[0] ?? "";

  const submit = async () => {
    if (!csv) return;
    setResult(null);
    setProblem(null);
    setOtherError(null);
    try {
      setResult(
        await run.mutateAsync({
          csv,
          version: matter.version,
          period: period?.id,
          rater,
          ...(documentId ? { document: documentId } : {}),
        }),
      );
    } catch (error) {
      if (isApiError(error) && error.problem && (error.status === 422 || error.status === 400))
        setProblem(error.problem);
      else setOtherError(error);
    }
  };

  return (
    <Stack gap="md" maw={900}>
      <Text size="sm" c="dimmed">
        A monitor report's table, one row per provision: a <Code>paragraph</Code> (or <Code>provision</Code>)
        column and a <Code>level</Code> (or <Code>rating</Code>, <Code>compliance_status</Code>) column naming
        a level of this matter's scale; optionally <Code>period</Code>, <Code>rater</Code> (monitor,
        department, city or other), <Code>rationale</Code>, <Code>document</Code> and <Code>page</Code>. Every
        row is checked first: one bad row and nothing is imported.
      </Text>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Period"
          description="For rows without a period column"
          w={280}
          allowDeselect={false}
          data={list.map((p) => ({
            value: p.id,
            label: p.endsOn ? `${p.label} (ends ${formatDate(p.endsOn)})` : p.label,
          }))}
          value={period?.id ?? null}
          onChange={setPeriodId}
        />
        <Select
          label="Rater"
          description="For rows without a rater column"
          w={220}
          allowDeselect={false}
          data={RATERS.map((r) => ({ value: r, label: RATER_LABELS[r] }))}
          value={rater}
          onChange={(v) => setRater(RATERS.find((r) => r === v) ?? "monitor")}
        />
        <Select
          label="Source document"
          description={
            period?.reportDocument
              ? `Default: the period's report, ${period.reportDocument.title}`
              : "The monitor's report"
          }
          w={340}
          clearable
          searchable
          placeholder={period?.reportDocument ? period.reportDocument.title : "Choose the report"}
          data={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: d.title }))}
          value={documentId}
          onChange={setDocumentId}
        />
      </Group>
      <Text size="xs" c="dimmed">
        Pages come from the file's page column (e.g. <Code>pdf_page_of_355</Code>); each rating cites the
        document and its page.
      </Text>
      <Paper
        withBorder
        radius="md"
        p="lg"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{
          borderStyle: "dashed",
          borderWidth: 2,
          borderColor: dragging ? "var(--mantine-primary-color-filled)" : undefined,
          background: dragging ? "var(--mantine-primary-color-light)" : undefined,
        }}
        aria-label="CSV file"
        role="group"
      >
        <Stack align="center" gap={6}>
          <Text size="sm">Drop a CSV file here, or</Text>
          <FileButton onChange={(f) => void take(f)} accept=".csv,text/csv">
            {(props) => (
              <Button variant="default" size="xs" {...props}>
                Choose CSV file
              </Button>
            )}
          </FileButton>
          {file ? (
            <Text size="sm" fw={600}>
              {file.name}
              {csv ? ` · ${plural(lines, "row")}` : ""}
            </Text>
          ) : null}
          {header ? (
            <Text size="xs" c="dimmed" ff="monospace" lineClamp={1} maw="100%">
              {header}
            </Text>
          ) : null}
        </Stack>
      </Paper>
      {fileProblem ? (
        <Alert color="red" variant="light" role="alert">
          {fileProblem}
        </Alert>
      ) : null}
      <Group>
        <Button onClick={submit} disabled={!csv} loading={run.isPending}>
          Import ratings
        </Button>
      </Group>
      {result ? <Result result={result} periodLabel={period?.label ?? ""} /> : null}
      {problem ? <RejectedRows problem={problem} /> : null}
      {otherError ? <ProblemAlert error={otherError} title="Not imported" /> : null}
    </Stack>
  );
}
