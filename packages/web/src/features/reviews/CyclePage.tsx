import { type Cycle, formatPartialDate, TOPIC_LABELS } from "@accord/domain";
import {
  Accordion,
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Group,
  List,
  Skeleton,
  Stack,
  Text,
  Title,
  Typography,
} from "@mantine/core";
import { Link, useParams } from "react-router";
import { useBoard, useCycle } from "../../api/reviews";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { IconExternal } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDay } from "../../lib/audit";
import { webHref } from "../../lib/links";
import { BoardSummary } from "./BoardSummary";
import { CopyCycleButton, StartCycleButton, scopeText } from "./CycleActions";
import { CycleReviews } from "./CycleReviews";
import { CycleReportButtons } from "./ReportButtons";
import { CycleStatusBadge, RatingMark } from "./ReviewBadges";
import { isPastDue, plural } from "./review-labels";

function Mandate({ cycle }: { cycle: Cycle }) {
  if (!cycle.mandate && !cycle.mandateUrl)
    return (
      <Text size="sm" c="dimmed">
        No mandate recorded.
      </Text>
    );
  return (
    <Stack gap={4}>
      {cycle.mandate ? (
        <Typography>
          {cycle.mandate.split(/\n{2,}/).map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one text
            <p key={i} style={{ marginBlock: 4 }}>
              {p}
            </p>
          ))}
        </Typography>
      ) : null}
      {webHref(cycle.mandateUrl) ? (
        <Anchor href={webHref(cycle.mandateUrl)} target="_blank" rel="noreferrer noopener" size="sm">
          Read the mandate <IconExternal size={12} />
        </Anchor>
      ) : null}
    </Stack>
  );
}

function CriteriaList({ cycle }: { cycle: Cycle }) {
  if (cycle.criteria.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No criteria yet: add at least one before starting the cycle.
      </Text>
    );
  return (
    <List type="ordered" spacing="xs" size="sm" listStyleType="none" aria-label="Criteria">
      {cycle.criteria.map((c) => (
        <List.Item key={c.id}>
          <Text size="sm">
            <Text span fw={700}>
              {c.code}
            </Text>{" "}
            {c.title}
          </Text>
          {c.guidance ? (
            <Text size="xs" c="dimmed" style={{ whiteSpace: "pre-line" }}>
              {c.guidance}
            </Text>
          ) : null}
          {c.topics.length ? (
            <Text size="xs" c="dimmed">
              {`Provision topics: ${c.topics.map((t) => TOPIC_LABELS[t]).join(", ")}`}
            </Text>
          ) : null}
        </List.Item>
      ))}
    </List>
  );
}

/** The line under the title: status, due date, when it started, its scope. */
function CycleFacts({ cycle }: { cycle: Cycle }) {
  return (
    <Group gap="sm" wrap="wrap">
      <CycleStatusBadge status={cycle.status} />
      <Text size="sm" c={cycle.status !== "closed" && isPastDue(cycle.dueOn) ? "red" : "dimmed"}>
        {cycle.dueOn ? `Due ${formatPartialDate(cycle.dueOn)}` : "No due date"}
      </Text>
      {cycle.startedAt ? (
        <Text size="sm" c="dimmed">
          · started {formatDay(cycle.startedAt)}
        </Text>
      ) : null}
      <Text size="sm" c="dimmed">
        · {scopeText(cycle.scope)}
      </Text>
      <Text size="sm" fw={500}>
        ·{" "}
        {cycle.asOf
          ? `Reviews the portfolio as of ${formatPartialDate(cycle.asOf)}`
          : cycle.status === "draft"
            ? "Reviews the portfolio as of the day it starts"
            : "Reviews the portfolio as of the day it started"}
      </Text>
      {cycle.copiedFrom ? (
        <Text size="sm" c="dimmed">
          · copied from{" "}
          <Anchor component={Link} to={`/reviews/${cycle.copiedFrom.slug}`} size="sm">
            {cycle.copiedFrom.name}
          </Anchor>
        </Text>
      ) : null}
    </Group>
  );
}

/** A cycle in preparation: what it will review and against what, with Edit and Start. */
function CycleSetup({ cycle }: { cycle: Cycle }) {
  const canManage = useCan("cycles:manage");
  return (
    <Stack gap="md">
      <Alert color="gray" variant="light" title="Not started yet">
        <Text size="sm">
          Its criteria, scope and rating scale can change until it starts. Starting it creates one review for
          each matter in scope{canManage ? "; then assign them to reviewers from this page." : "."}
        </Text>
      </Alert>
      <Card withBorder padding="md" component="section" aria-labelledby="mandate-h">
        <Title order={2} size="h5" id="mandate-h" mb="xs">
          Mandate
        </Title>
        <Mandate cycle={cycle} />
      </Card>
      <Card withBorder padding="md" component="section" aria-labelledby="criteria-h">
        <Title order={2} size="h5" id="criteria-h" mb="xs">
          {`Criteria (${cycle.criteria.length})`}
        </Title>
        <CriteriaList cycle={cycle} />
        <Group gap="xs" mt="md">
          <Text size="sm" c="dimmed">
            Rating scale:
          </Text>
          {cycle.ratingScale.map((l) => (
            <RatingMark key={l.code} level={l} />
          ))}
        </Group>
      </Card>
    </Stack>
  );
}

/** A started cycle: its progress at a glance, then its reviews. */
function CycleBoard({ cycle }: { cycle: Cycle }) {
  const board = useBoard(cycle.slug);
  const total = Object.values(cycle.counts).reduce((a, b) => a + (b ?? 0), 0);
  return (
    <Stack gap="md">
      <Accordion variant="contained" chevronPosition="left">
        <Accordion.Item value="mandate">
          <Accordion.Control>{`Mandate and criteria (${plural(cycle.criteria.length, "criterion", "criteria")})`}</Accordion.Control>
          <Accordion.Panel>
            <Stack gap="md">
              <Mandate cycle={cycle} />
              <CriteriaList cycle={cycle} />
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
      {board.error ? (
        <ProblemAlert error={board.error} onRetry={() => board.refetch()} />
      ) : board.isPending ? (
        <Skeleton height={220} />
      ) : (
        <BoardSummary board={board.data} cycle={cycle} />
      )}
      <Title order={2} size="h4" mt="sm">
        {`Reviews${total ? ` (${total.toLocaleString("en-US")})` : ""}`}
      </Title>
      <CycleReviews cycle={cycle} board={board.data} />
    </Stack>
  );
}

/** `/reviews/{cycle}`: a cycle in preparation, or the board of one under way. */
export function CyclePage() {
  const { cycleSlug = "" } = useParams();
  const query = useCycle(cycleSlug);
  const canManage = useCan("cycles:manage");
  return (
    <LoadedRecord query={query} what="review cycle">
      {(cycle) => (
        <>
          <BackLink to="/reviews">Reviews</BackLink>
          <PageTitle
            title={cycle.name}
            actions={
              <>
                {cycle.status === "draft" ? null : <CycleReportButtons slug={cycle.slug} />}
                {canManage ? (
                  <Button component={Link} to={`/reviews/${cycle.slug}/edit`} variant="default">
                    Edit
                  </Button>
                ) : null}
                <CopyCycleButton cycle={cycle} />
                <StartCycleButton cycle={cycle} />
              </>
            }
          />
          <Box mt={-8} mb="md">
            <CycleFacts cycle={cycle} />
          </Box>
          {cycle.status === "draft" ? <CycleSetup cycle={cycle} /> : <CycleBoard cycle={cycle} />}
        </>
      )}
    </LoadedRecord>
  );
}
