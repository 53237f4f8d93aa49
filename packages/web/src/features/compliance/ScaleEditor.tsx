import {
  ComplianceLevelSchema,
  type ComplianceScale,
  DEFAULT_COMPLIANCE_LEVELS,
  type SetComplianceScale,
} from "@accord/domain";
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Menu,
  NumberInput,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { type ApiProblem, hasCode, isApiError } from "../../api/client";
import { useSetComplianceScale } from "../../api/compliance";
import { ConflictAlert } from "../../components/ConflictAlert";
import { IconChevronDown, IconChevronUp, IconPlus, IconTrash } from "../../components/icons";
import { formatMomentDay } from "../../lib/dates";
import { errorMessage, maxLengths } from "../../lib/forms";
import { colorName, type Level, levelColor } from "./levels";

/** The schema's limits on a level's label and code. */
const LEVEL_LIMITS = maxLengths(ComplianceLevelSchema);

interface LevelRow {
  code: string;
  label: string;
  normalized: number | string;
  full: boolean;
  rated: boolean;
}

const PRESETS: { name: string; levels: Level[] }[] = [
  {
    name: "Default: Not yet assessed · Not in compliance · Preliminary · Secondary · Full",
    levels: DEFAULT_COMPLIANCE_LEVELS,
  },
  {
    name: "Not rated · Non-compliance · Partial · Substantial compliance",
    levels: [
      { code: "not_rated", label: "Not rated", normalized: null, full: false, rated: false },
      { code: "non_compliance", label: "Non-compliance", normalized: 0, full: false, rated: true },
      { code: "partial", label: "Partial compliance", normalized: 0.5, full: false, rated: true },
      { code: "substantial", label: "Substantial compliance", normalized: 1, full: true, rated: true },
    ],
  },
  {
    name: "Primary · Secondary · Operational compliance",
    levels: [
      { code: "not_assessed", label: "Not assessed", normalized: null, full: false, rated: false },
      { code: "not_in_compliance", label: "Not in compliance", normalized: 0, full: false, rated: true },
      { code: "primary", label: "Primary compliance", normalized: 0.33, full: false, rated: true },
      { code: "secondary", label: "Secondary compliance", normalized: 0.67, full: false, rated: true },
      { code: "operational", label: "Operational compliance", normalized: 1, full: true, rated: true },
    ],
  },
  {
    name: "Binary: In compliance · Not in compliance",
    levels: [
      { code: "not_assessed", label: "Not assessed", normalized: null, full: false, rated: false },
      { code: "not_in_compliance", label: "Not in compliance", normalized: 0, full: false, rated: true },
      { code: "in_compliance", label: "In compliance", normalized: 1, full: true, rated: true },
    ],
  },
];

const toRows = (levels: readonly Level[]): LevelRow[] =>
  levels.map((l) => ({ ...l, normalized: l.normalized ?? "" }));

const codeOf = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^(\d)/, "l_$1")
    .slice(0, 40) || "level";

function payloadOf(
  rows: LevelRow[],
  rule: { level: string; years: number | string } | null,
): SetComplianceScale {
  return {
    levels: rows.map((r) => ({
      code: r.code.trim() || codeOf(r.label),
      label: r.label.trim(),
      normalized: r.rated && r.normalized !== "" ? Number(r.normalized) : null,
      full: r.rated && r.full,
      rated: r.rated,
    })),
    sustainment: rule?.level && rule.years !== "" ? { level: rule.level, years: Number(rule.years) } : null,
  };
}

/**
 * The matter's compliance scale and sustainment rule, edited as a whole and saved with the
 * version it was loaded at.
 */
export function ScaleEditor({ scale, matterKey }: { scale: ComplianceScale; matterKey: string }) {
  const save = useSetComplianceScale(matterKey);
  const editable = scale.abilities.edit;
  const [rows, setRows] = useState<LevelRow[]>(() => toRows(scale.levels));
  const [rule, setRule] = useState<{ level: string; years: number | string } | null>(scale.sustainment);
  const [version, setVersion] = useState(scale.version);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [conflict, setConflict] = useState<ComplianceScale | null>(null);

  const patch = (i: number, p: Partial<LevelRow>) =>
    setRows((prev) =>
      prev.map((r, j) => (j === i ? { ...r, ...p } : p.full && r.full ? { ...r, full: false } : r)),
    );
  const move = (i: number, d: -1 | 1) =>
    setRows((prev) => {
      const next = [...prev];
      const [r] = next.splice(i, 1);
      if (r) next.splice(i + d, 0, r);
      return next;
    });
  const load = (s: ComplianceScale) => {
    setRows(toRows(s.levels));
    setRule(s.sustainment);
    setVersion(s.version);
    setConflict(null);
    setProblem(null);
  };

  const submit = async (based = version) => {
    setProblem(null);
    try {
      const saved = await save.mutateAsync({ body: payloadOf(rows, rule), version: based });
      setVersion(saved.version);
      setRows(toRows(saved.levels));
      setConflict(null);
      notifications.show({ color: "teal", title: "Scale saved", message: `${saved.levels.length} levels.` });
    } catch (error) {
      if (hasCode(error, "version_conflict") && error.status === 412) {
        setConflict((error.problem?.current as ComplianceScale | undefined) ?? null);
        return;
      }
      setProblem(
        isApiError(error) && error.problem
          ? error.problem
          : {
              type: "about:blank",
              title: "Not saved",
              status: 0,
              code: "error",
              detail: errorMessage(error),
            },
      );
    }
  };
  const ratedCodes = rows
    .filter((r) => r.rated)
    .map((r) => ({ value: r.code || codeOf(r.label), label: r.label || r.code }));

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {scale.isDefault
            ? "This matter uses the default scale until its monitor's own is saved."
            : `The monitor's scale (version ${scale.version}${scale.updatedAt ? `, saved ${formatMomentDay(scale.updatedAt)}` : ""}).`}{" "}
          Each level sits on a common scale from 0 (none) to 1 (full) so that decrees can be compared.
        </Text>
        {editable ? (
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} />}>
                Start from a preset
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {PRESETS.map((p) => (
                <Menu.Item key={p.name} onClick={() => setRows(toRows(p.levels))}>
                  {p.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>
      {conflict ? (
        <ConflictAlert
          noun="scale"
          version={conflict.version}
          onLoadTheirs={() => load(conflict)}
          onOverwrite={() => void submit(conflict.version)}
          busy={save.isPending}
        />
      ) : null}
      <Table.ScrollContainer minWidth={940} type="native">
        <Table className="accord-table" verticalSpacing={4} aria-label="Levels of the scale">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Order</Table.Th>
              <Table.Th miw={200}>Label</Table.Th>
              <Table.Th miw={160}>Code</Table.Th>
              <Table.Th w={120}>Common scale (0–1)</Table.Th>
              <Table.Th w={80}>Is a rating</Table.Th>
              <Table.Th w={60}>Full</Table.Th>
              <Table.Th w={90}>Colour</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => {
              const name = r.label || `level ${i + 1}`;
              const color = levelColor({
                rated: r.rated,
                full: r.full,
                normalized: r.normalized === "" ? null : Number(r.normalized),
              });
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place
                <Table.Tr key={i}>
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        aria-label={`Move ${name} up`}
                        disabled={!editable || i === 0}
                        onClick={() => move(i, -1)}
                      >
                        <IconChevronUp size={14} />
                      </ActionIcon>
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        aria-label={`Move ${name} down`}
                        disabled={!editable || i === rows.length - 1}
                        onClick={() => move(i, 1)}
                      >
                        <IconChevronDown size={14} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      aria-label={`Label of level ${i + 1}`}
                      maxLength={LEVEL_LIMITS.label}
                      value={r.label}
                      readOnly={!editable}
                      onChange={(e) => patch(i, { label: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      aria-label={`Code of level ${i + 1}`}
                      maxLength={LEVEL_LIMITS.code}
                      placeholder={codeOf(r.label)}
                      value={r.code}
                      readOnly={!editable}
                      onChange={(e) => patch(i, { code: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      aria-label={`Common scale value of ${name}`}
                      min={0}
                      max={1}
                      step={0.05}
                      decimalScale={2}
                      disabled={!r.rated}
                      readOnly={!editable}
                      value={r.normalized}
                      onChange={(v) => patch(i, { normalized: v })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={`${name} is a rating`}
                      checked={r.rated}
                      disabled={!editable}
                      onChange={(e) =>
                        patch(i, {
                          rated: e.currentTarget.checked,
                          ...(e.currentTarget.checked ? {} : { full: false, normalized: "" }),
                        })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Radio
                      aria-label={`${name} is full compliance`}
                      name="full-level"
                      checked={r.full}
                      disabled={!editable || !r.rated}
                      onChange={() => patch(i, { full: true })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={colorName(color)} variant="light" tt="none" radius="sm">
                      {r.rated
                        ? r.full
                          ? "full"
                          : r.normalized === ""
                            ? "?"
                            : String(r.normalized)
                        : "no rating"}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {editable ? (
                      <Tooltip label="Remove (a level in use cannot be removed)">
                        <ActionIcon
                          size="sm"
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${name}`}
                          disabled={rows.length <= 2}
                          onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))}
                        >
                          <IconTrash size={14} />
                        </ActionIcon>
                      </Tooltip>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editable ? (
        <Group>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            disabled={rows.length >= 12}
            onClick={() =>
              setRows((prev) => [...prev, { code: "", label: "", normalized: "", full: false, rated: true }])
            }
          >
            Add level
          </Button>
        </Group>
      ) : null}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Checkbox
          label="Sustainment rule"
          checked={rule !== null}
          disabled={!editable}
          onChange={(e) =>
            setRule(
              e.currentTarget.checked ? { level: rows.find((r) => r.full)?.code ?? "", years: 2 } : null,
            )
          }
          mb={6}
        />
        {rule ? (
          <>
            <Select
              size="xs"
              label="Held at (or better)"
              w={220}
              data={ratedCodes}
              value={rule.level || null}
              readOnly={!editable}
              onChange={(v) => setRule({ ...rule, level: v ?? "" })}
            />
            <NumberInput
              size="xs"
              label="For (years)"
              w={110}
              min={0.25}
              max={20}
              step={0.5}
              decimalScale={2}
              readOnly={!editable}
              value={rule.years}
              onChange={(v) => setRule({ ...rule, years: v })}
            />
          </>
        ) : null}
      </Group>
      {problem ? (
        <Alert color="red" variant="light" title={problem.title} role="alert">
          <Text size="sm">{problem.detail}</Text>
          {problem.errors?.length ? (
            <List size="sm" mt={4}>
              {problem.errors.map((e) => (
                <List.Item key={`${e.path}-${e.message}`}>
                  {e.path}: {e.message}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : null}
      {editable ? (
        <Group>
          <Button onClick={() => void submit()} loading={save.isPending}>
            Save scale
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
