import { type Board, type Cycle, RECOMMENDATIONS, REVIEW_STATUSES, type ReviewStatus } from "@accord/domain";
import {
  Anchor,
  Card,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { personName } from "../../lib/audit";
import { RatingMark, ReviewStatusBadge } from "./ReviewBadges";
import { plural, REVIEW_STATUS_COLORS, recommendationLabel, TONE_COLORS } from "./review-labels";

function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h5" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function Stat({
  label,
  value,
  to,
  color,
  hint,
}: {
  label: string;
  value: number;
  to: string;
  color?: string;
  hint?: string;
}) {
  return (
    <Card withBorder padding="sm" radius="md" component={Link} to={to} style={{ textDecoration: "none" }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} fz={26} lh={1.2} c={value > 0 ? color : undefined}>
        {value.toLocaleString("en-US")}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

/** Rows of a label, a bar and the number; the link filters the reviews below. */
function CountRows({
  rows,
  caption,
  labelledBy,
}: {
  rows: { key: string; label: ReactNode; count: number; to: string; color?: string }[];
  caption: string;
  /** The panel's heading, which names the table. */
  labelledBy: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <Table className="accord-table" verticalSpacing={4} aria-labelledby={labelledBy}>
      <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
        <Text span size="xs" c="dimmed">
          {caption}
        </Text>
      </Table.Caption>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td>
              {/* Named by its own words and the count (an aria-label would differ from them). */}
              <Anchor component={Link} to={r.to} size="sm">
                {r.label}
                <VisuallyHidden component="span">: {r.count}</VisuallyHidden>
              </Anchor>
            </Table.Td>
            <Table.Td w="35%">
              <Progress value={(r.count / max) * 100} size="sm" color={r.color} aria-hidden="true" />
            </Table.Td>
            <Table.Td ta="right" w={40} fw={600}>
              {r.count}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The cycle's progress: counts by status, reviewer, recommendation and criterion. */
export function BoardSummary({ board, cycle }: { board: Board; cycle: Cycle }) {
  const here = `/reviews/${cycle.slug}`;
  const s = (status: ReviewStatus) => board.byStatus[status] ?? 0;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        <Stat label="Reviews" value={board.total} to={here} />
        <Stat
          label="Approved"
          value={s("approved")}
          to={`${here}?status=approved`}
          color="teal"
          hint={board.total ? `${Math.round((s("approved") / board.total) * 100)}% done` : undefined}
        />
        <Stat
          label="Awaiting approval"
          value={s("submitted")}
          to={`${here}?status=submitted`}
          color="violet"
        />
        <Stat label="Overdue" value={board.overdue} to={`${here}?overdue=true`} color="red" />
        <Stat
          label="Changed since approval"
          value={board.changedSinceApproval}
          to={`${here}?changed=true`}
          color="orange"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        <Panel id="by-status-h" title="By status">
          <CountRows
            labelledBy="by-status-h"
            caption="Select a status to list its reviews"
            rows={REVIEW_STATUSES.map((st) => ({
              key: st,
              label: <ReviewStatusBadge status={st} style={{ cursor: "pointer" }} />,
              count: s(st),
              to: `${here}?status=${st}`,
              color: REVIEW_STATUS_COLORS[st],
            }))}
          />
        </Panel>
        <Panel id="by-reviewer-h" title="By reviewer">
          {board.byReviewer.length === 0 ? (
            <Text size="sm" c="dimmed">
              No reviews yet.
            </Text>
          ) : (
            <Table className="accord-table" verticalSpacing={4} aria-labelledby="by-reviewer-h">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Reviewer</Table.Th>
                  <Table.Th>Approved</Table.Th>
                  <Table.Th ta="right">Overdue</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {board.byReviewer.map((r) => {
                  const done = r.byStatus.approved ?? 0;
                  const name = r.assignee ? personName(r.assignee) : "Unassigned";
                  return (
                    <Table.Tr key={r.assignee?.id ?? "none"}>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`${here}?assignee=${r.assignee ? r.assignee.username : "none"}`}
                          size="sm"
                          fs={r.assignee ? undefined : "italic"}
                        >
                          {name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td miw={110}>
                        <Tooltip label={`${done} of ${r.total} approved`} withArrow>
                          {/* The words under the bar say the same to a screen reader. */}
                          <Progress
                            value={(done / Math.max(1, r.total)) * 100}
                            size="sm"
                            color="teal"
                            aria-hidden="true"
                          />
                        </Tooltip>
                        <Text size="xs" c="dimmed">
                          {done} of {r.total}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" c={r.overdue ? "red" : "dimmed"} fw={r.overdue ? 600 : 400}>
                        {r.overdue}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </Panel>
        <Panel id="by-recommendation-h" title="By recommendation">
          <CountRows
            labelledBy="by-recommendation-h"
            caption="Select a recommendation to list its reviews"
            rows={[...RECOMMENDATIONS, "none" as const].map((r) => ({
              key: r,
              label: r === "none" ? "None yet" : recommendationLabel(r),
              count: board.byRecommendation[r] ?? 0,
              to: r === "none" ? here : `${here}?recommendation=${r}`,
              color: r === "none" ? "gray" : undefined,
            }))}
          />
        </Panel>
      </SimpleGrid>
      {board.byCriterion.length > 0 ? (
        <Panel id="by-criterion-h" title="Ratings by criterion">
          {/* A scale may have up to ten levels: past what fits, the table scrolls sideways. */}
          <Table.ScrollContainer minWidth={380 + 84 * cycle.ratingScale.length} type="native">
            <Table className="accord-table" verticalSpacing={6} aria-labelledby="by-criterion-h">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th miw={220}>Criterion</Table.Th>
                  <Table.Th w="18%" miw={100}>
                    Ratings
                  </Table.Th>
                  {cycle.ratingScale.map((l) => (
                    <Table.Th key={l.code} ta="right" className="accord-level-th">
                      <RatingMark level={l} />
                    </Table.Th>
                  ))}
                  <Table.Th ta="right">Not rated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {board.byCriterion.map((c) => {
                  const total = Math.max(1, Object.values(c.ratings).reduce((a, b) => a + b, 0) + c.unrated);
                  return (
                    <Table.Tr key={c.code}>
                      <Table.Td style={{ whiteSpace: "normal" }}>
                        <Text size="sm">
                          <Text span fw={700}>
                            {c.code}
                          </Text>{" "}
                          {c.title}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Progress.Root size={12} aria-hidden="true">
                          {cycle.ratingScale.map((l) => (
                            <Progress.Section
                              key={l.code}
                              value={((c.ratings[l.code] ?? 0) / total) * 100}
                              color={TONE_COLORS[l.tone]}
                            />
                          ))}
                        </Progress.Root>
                      </Table.Td>
                      {cycle.ratingScale.map((l) => (
                        <Table.Td key={l.code} ta="right">
                          {c.ratings[l.code] ?? 0}
                        </Table.Td>
                      ))}
                      <Table.Td ta="right" c="dimmed">
                        {c.unrated}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed" mt={4}>
            {plural(board.total, "review")} counted; viewers see submitted and approved ones only.
          </Text>
        </Panel>
      ) : null}
    </Stack>
  );
}
