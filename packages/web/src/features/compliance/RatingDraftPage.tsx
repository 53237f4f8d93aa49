import {
  RATER_LABELS,
  RATERS,
  type Rater,
  type RatingDraft,
  type RatingDraftItem,
  type UpdateRatingDraft,
} from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  NativeSelect,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { usePeriods } from "../../api/compliance";
import { useAcceptRatingDraft, useRatingDraft, useUpdateRatingDraft } from "../../api/rating-drafts";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { ConfirmModal } from "../../components/ConfirmModal";
import { LoadedRecord } from "../../components/LoadedRecord";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { errorMessage } from "../../lib/forms";
import { documentPagePath } from "../provisions/shared";

/** A row still to settle: it names no current provision, or its level is not one of the scale. */
const unsettled = (i: RatingDraftItem) => !i.dropped && (!i.provisionId || !i.level);

/**
 * The check screen of a report read into ratings: each row beside the report's page, to correct
 * (the provision's label, the level, the rater) or drop; then accepted as the period's ratings.
 */
export function RatingDraftPage() {
  const { id = "" } = useParams();
  const query = useRatingDraft(id);
  return (
    <LoadedRecord query={query} what="ratings read from a report">
      {(draft) => <DraftView draft={draft} />}
    </LoadedRecord>
  );
}

function DraftView({ draft }: { draft: RatingDraft }) {
  const canRate = useCan("compliance:rate");
  const editable = canRate && draft.status === "draft";
  const update = useUpdateRatingDraft(draft.id);
  const accept = useAcceptRatingDraft(draft.id);
  const periods = usePeriods(draft.matter.slug);
  const [show, setShow] = useState<"all" | "unsettled">(
    draft.counts.unknownProvision + draft.counts.unknownLevel > 0 ? "unsettled" : "all",
  );
  const [confirming, setConfirming] = useState(false);
  // A report gives hundreds of rows: a page of them at a time keeps the screen quick.
  const [paging, setPaging] = useState({ offset: 0, limit: 50 });
  const [accepted, setAccepted] = useState<{ saved: number; period: { label: string } } | null>(null);

  const patch = (body: UpdateRatingDraft) =>
    update.mutate(
      { version: draft.version, patch: body },
      {
        onError: (error) =>
          notifications.show({ color: "red", title: "Not changed", message: errorMessage(error) }),
      },
    );
  const edit = (index: number, change: Omit<NonNullable<UpdateRatingDraft["items"]>[number], "index">) =>
    patch({ items: [{ index, ...change }] });

  const rows = draft.items.map((item, index) => ({ item, index }));
  const matching = show === "unsettled" ? rows.filter(({ item }) => unsettled(item)) : rows;
  const offset = paging.offset < matching.length ? paging.offset : 0;
  const shown = matching.slice(offset, offset + paging.limit);
  const toSettle = draft.counts.unknownProvision + draft.counts.unknownLevel;
  const levelOptions = draft.levels.map((l) => ({ value: l.code, label: l.label }));
  // Phrases the scale does not name, each with the rows that use it: one choice settles them all.
  const phrases = new Map<string, number[]>();
  for (const { item, index } of rows)
    if (!item.dropped && item.provisionId && !item.level)
      phrases.set(item.levelAsWritten, [...(phrases.get(item.levelAsWritten) ?? []), index]);
  const periodOptions = (periods.data?.items ?? []).map((p) => ({ value: p.id, label: p.label }));

  return (
    <>
      <BackLink to={`/documents/${draft.document.id}`}>{draft.document.title}</BackLink>
      <PageTitle
        title="Ratings read from a report"
        subtitle={
          <>
            <Anchor component={Link} to={`/matters/${draft.matter.slug}/compliance`} size="sm">
              {draft.matter.title}
            </Anchor>
            {` · ${draft.document.title}`}
          </>
        }
        actions={
          editable ? (
            <Button
              onClick={() => setConfirming(true)}
              disabled={toSettle > 0 || !draft.period}
              loading={accept.isPending}
            >
              Accept {draft.counts.ready} ratings
            </Button>
          ) : (
            <Badge color={draft.status === "accepted" ? "teal" : "gray"} variant="light" size="lg">
              {draft.status === "accepted" ? "Accepted" : "Read only"}
            </Badge>
          )
        }
      />
      {accepted ? (
        <Alert color="teal" title={`${accepted.saved} ratings saved for ${accepted.period.label}`} mb="sm">
          See what moved since the previous period on the{" "}
          <Anchor component={Link} to={`/matters/${draft.matter.slug}/compliance`}>
            compliance tab
          </Anchor>
          .
        </Alert>
      ) : null}
      <Card withBorder padding="sm" mb="sm">
        <Group gap="lg" align="flex-end" wrap="wrap">
          <Select
            label="Reporting period"
            placeholder="Choose the period"
            data={periodOptions}
            value={draft.period?.id ?? null}
            onChange={(v) => patch({ period: v })}
            disabled={!editable}
            w={240}
            error={editable && !draft.period ? "Choose the period these ratings are for" : undefined}
          />
          <Group gap="xs">
            <Badge variant="light" color="teal">
              {draft.counts.ready} ready
            </Badge>
            <Badge variant="light" color={toSettle ? "orange" : "gray"}>
              {toSettle} to settle
            </Badge>
            <Badge variant="light" color="gray">
              {draft.counts.dropped} dropped
            </Badge>
          </Group>
          <SegmentedControl
            value={show}
            onChange={(v) => {
              setShow(v as "all" | "unsettled");
              setPaging((p) => ({ ...p, offset: 0 }));
            }}
            data={[
              { value: "all", label: `All rows (${draft.items.length})` },
              { value: "unsettled", label: `To settle (${toSettle})` },
            ]}
          />
        </Group>
      </Card>
      {editable && phrases.size ? (
        <Card withBorder padding="sm" mb="sm">
          <Text fw={600} size="sm" mb={4}>
            Levels this matter's scale does not name
          </Text>
          <Text size="sm" c="dimmed" mb="xs">
            Say what each phrase of the report means on the scale: every row that uses it takes that level.
          </Text>
          <Group gap="md" align="flex-end" wrap="wrap">
            {[...phrases].map(([phrase, indexes]) => (
              <Select
                key={phrase}
                size="sm"
                w={260}
                label={`“${phrase}” (${indexes.length} ${indexes.length === 1 ? "row" : "rows"}) means`}
                placeholder="Choose a level"
                data={levelOptions}
                value={null}
                onChange={(v) => v && patch({ items: indexes.map((index) => ({ index, level: v })) })}
              />
            ))}
          </Group>
        </Card>
      ) : null}
      {draft.warnings.length ? (
        <Alert color="orange" title="Check these" mb="sm">
          <List size="sm">
            {draft.warnings.slice(0, 20).map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
          {draft.warnings.length > 20 ? <Text size="sm">…and {draft.warnings.length - 20} more</Text> : null}
        </Alert>
      ) : null}
      {shown.length ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing={4} aria-label="Ratings read from the report">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Provision</Table.Th>
                <Table.Th>As written</Table.Th>
                <Table.Th>Level</Table.Th>
                <Table.Th>Rater</Table.Th>
                <Table.Th>Page</Table.Th>
                <Table.Th>Drop</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map(({ item, index }) => (
                <DraftRow
                  key={index}
                  item={item}
                  index={index}
                  draft={draft}
                  editable={editable}
                  levelOptions={levelOptions}
                  onEdit={edit}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {shown.length ? (
        <Pager
          total={matching.length}
          limit={paging.limit}
          offset={offset}
          onChange={(patch) => setPaging((p) => ({ ...p, ...patch }))}
          noun="rows"
        />
      ) : (
        <Group gap="sm">
          <Text c="dimmed">
            {show === "unsettled" ? "Every row is settled." : "No rating was found in this report."}
          </Text>
          {show === "unsettled" && rows.length ? (
            <Button variant="subtle" size="xs" onClick={() => setShow("all")}>
              Show all {rows.length} rows
            </Button>
          ) : null}
        </Group>
      )}
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        color="blue"
        busy={accept.isPending}
        title="Accept these ratings?"
        confirmLabel={`Accept ${draft.counts.ready} ratings`}
        onConfirm={() => {
          setConfirming(false);
          accept.mutate(draft.version, {
            onSuccess: (r) => setAccepted(r),
            onError: (error) =>
              notifications.show({ color: "red", title: "Not accepted", message: errorMessage(error) }),
          });
        }}
      >
        {`They become the ratings of ${draft.period?.label ?? "the period"}, each with this report's page as its evidence. Ratings already given for that period by the same rater are replaced.`}
      </ConfirmModal>
    </>
  );
}

function DraftRow({
  item,
  index,
  draft,
  editable,
  levelOptions,
  onEdit,
}: {
  item: RatingDraftItem;
  index: number;
  draft: RatingDraft;
  editable: boolean;
  levelOptions: { value: string; label: string }[];
  onEdit: (
    index: number,
    change: { label?: string; level?: string | null; rater?: Rater; dropped?: boolean },
  ) => void;
}) {
  const [label, setLabel] = useState(item.label);
  const dim = item.dropped ? { opacity: 0.5 } : undefined;
  return (
    <Table.Tr style={dim} data-row={index}>
      <Table.Td w={260}>
        <Stack gap={2}>
          {editable ? (
            <TextInput
              size="xs"
              aria-label={`Provision label of row ${index + 1}`}
              value={label}
              maxLength={80}
              onChange={(e) => setLabel(e.currentTarget.value)}
              onBlur={() => label.trim() && label !== item.label && onEdit(index, { label: label.trim() })}
              onKeyDown={(e) => {
                if (e.key === "Enter") e.currentTarget.blur();
              }}
              error={item.provisionId ? undefined : "No current provision has this label"}
            />
          ) : (
            <Text size="sm" fw={600}>
              {item.label}
            </Text>
          )}
          {item.provisionText ? (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {item.provisionText}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{item.levelAsWritten}</Text>
        <details>
          <summary style={{ fontSize: "var(--mantine-font-size-xs)", cursor: "pointer" }}>
            Quoted lines
          </summary>
          <Text size="xs" style={{ whiteSpace: "pre-wrap" }}>
            {item.quote}
          </Text>
        </details>
      </Table.Td>
      <Table.Td w={200}>
        <NativeSelect
          size="xs"
          aria-label={`Level of row ${index + 1}`}
          data={[{ value: "", label: "Not a level of the scale" }, ...levelOptions]}
          value={item.level ?? ""}
          onChange={(e) => onEdit(index, { level: e.currentTarget.value || null })}
          disabled={!editable}
          error={!item.dropped && !item.level ? "Choose the level" : undefined}
        />
      </Table.Td>
      <Table.Td w={170}>
        <NativeSelect
          size="xs"
          aria-label={`Rater of row ${index + 1}`}
          data={RATERS.map((r) => ({ value: r, label: RATER_LABELS[r] }))}
          value={item.rater}
          onChange={(e) => onEdit(index, { rater: e.currentTarget.value as Rater })}
          disabled={!editable}
        />
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={documentPagePath(draft.document.id, item.page)} size="sm">
          p. {item.page}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Checkbox
          aria-label={`Drop row ${index + 1} (${item.label})`}
          checked={item.dropped}
          onChange={(e) => onEdit(index, { dropped: e.currentTarget.checked })}
          disabled={!editable}
        />
      </Table.Td>
    </Table.Tr>
  );
}
