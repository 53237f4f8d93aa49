import {
  type Cycle,
  formatPartialDate,
  MATTER_KIND_LABELS,
  MATTER_STATUS_LABELS,
  RECOMMENDATIONS,
  REPORT_INCLUDE_LABELS,
  REPORT_INCLUDES,
  REVIEW_STATUS_LABELS,
  REVIEW_STATUSES,
  type ReportInclude,
  reportReviewHasFindings,
} from "@accord/domain";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { type ReactNode, useEffect } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import {
  type CycleReport,
  cycleReportUrl,
  type ReportReview,
  reviewReportUrl,
  useCycleReport,
} from "../../api/reviews";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { IconDownload, IconPrinter } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { NotFound } from "../../components/NotFound";
import { formatDay, formatTime, personName } from "../../lib/audit";
import { scopeText } from "./CycleActions";
import { CitationLink } from "./citations";
import { RatingLegend, RatingMark, ReviewStatusBadge } from "./ReviewBadges";
import { levelOf, plural, REVIEW_STATUS_COLORS, recommendationLabel, TONE_COLORS } from "./review-labels";
import "./report.css";

/*
 * The printable report: what the server's PDF holds, as a page the browser prints. The screen
 * shows it as sheets of paper with a toolbar; printed, the app's header, navigation and buttons
 * are left out, each matter starts a new page and the ratings keep their colours.
 */

/**
 * The app follows the user's light or dark theme; paper is white. While printing, the page is
 * drawn in the light theme, then put back.
 */
function usePrintInLightTheme() {
  useEffect(() => {
    const html = document.documentElement;
    let before: string | null = null;
    const onBefore = () => {
      before = html.getAttribute("data-mantine-color-scheme");
      html.setAttribute("data-mantine-color-scheme", "light");
    };
    const onAfter = () => {
      if (before) html.setAttribute("data-mantine-color-scheme", before);
      before = null;
    };
    window.addEventListener("beforeprint", onBefore);
    window.addEventListener("afterprint", onAfter);
    return () => {
      window.removeEventListener("beforeprint", onBefore);
      window.removeEventListener("afterprint", onAfter);
    };
  }, []);
}

const hasFindings = reportReviewHasFindings;

/** Said wherever a review's matter changed after its approval. */
const CHANGED_HINT = "The matter's facts, timeline or documents changed after this review was approved";

function ChangedBadge() {
  return (
    <Badge color="orange" variant="light" title={CHANGED_HINT}>
      Changed since approval
    </Badge>
  );
}

function Section({
  id,
  title,
  breakBefore = false,
  children,
}: {
  id: string;
  title: ReactNode;
  breakBefore?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className="accord-report-sheet"
      data-break={breakBefore ? "page" : undefined}
      aria-labelledby={id}
    >
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={150} fw={600} c="dimmed" style={{ verticalAlign: "top" }}>
        {label}
      </Table.Th>
      <Table.Td style={{ whiteSpace: "pre-line" }}>{children}</Table.Td>
    </Table.Tr>
  );
}

/** The cover: the cycle, its mandate and scope, its criteria and scale. */
function Cover({ report, one }: { report: CycleReport; one: ReportReview | null }) {
  const { cycle, board } = report;
  const canReadDrafts = useCan("reviews:read-drafts");
  return (
    <section className="accord-report-sheet accord-report-cover" aria-labelledby="report-title">
      <Text size="sm" c="dimmed" tt="uppercase" fw={700} lts={0.5}>
        {one ? "Review report" : "Review cycle report"}
      </Text>
      <Title order={1} id="report-title" mt={4}>
        {one ? one.matter.title : cycle.name}
      </Title>
      {one ? (
        <Text size="lg" mt={4}>
          {cycle.name}
        </Text>
      ) : null}
      <Text size="sm" c="dimmed" mt="xs">
        {`Generated ${formatTime(report.generatedAt)}`}
        {one ? "" : ` · ${plural(board.total, "review")}`}
        {canReadDrafts ? "" : " · submitted and approved reviews only"}
        {one || report.include === "all"
          ? ""
          : ` · includes ${REPORT_INCLUDE_LABELS[report.include].toLowerCase()}: ${report.reviews.length} of ${board.total}`}
      </Text>
      <Table mt="lg" verticalSpacing={6} className="accord-report-facts" aria-label="The cycle">
        <Table.Tbody>
          <Fact label="Mandate">
            {cycle.mandate ?? (
              <Text span c="dimmed" size="sm">
                None recorded
              </Text>
            )}
            {cycle.mandateUrl ? (
              <Text size="xs" c="dimmed" mt={4} style={{ overflowWrap: "anywhere" }}>
                {cycle.mandateUrl}
              </Text>
            ) : null}
          </Fact>
          <Fact label="Scope">{scopeText(cycle.scope)}</Fact>
          <Fact label="Due">{cycle.dueOn ? formatPartialDate(cycle.dueOn) : "No due date"}</Fact>
          <Fact label="Started">{cycle.startedAt ? formatDay(cycle.startedAt) : "Not started"}</Fact>
          <Fact label="Criteria">
            <ol className="accord-report-criteria">
              {cycle.criteria.map((c) => (
                <li key={c.code}>
                  <b>{c.code}</b> {c.title}
                </li>
              ))}
            </ol>
          </Fact>
          <Fact label="Rating scale">
            <Group gap={6} wrap="wrap">
              {cycle.ratingScale.map((l) => (
                <RatingMark key={l.code} level={l} />
              ))}
            </Group>
          </Fact>
        </Table.Tbody>
      </Table>
    </section>
  );
}

/** Rows of a label, a bar and a number. */
function CountTable({
  label,
  rows,
  total,
}: {
  label: string;
  rows: { key: string; label: ReactNode; count: number; color?: string }[];
  total: number;
}) {
  return (
    <Table verticalSpacing={4} aria-label={label} className="accord-report-counts">
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td w="45%">{r.label}</Table.Td>
            <Table.Td>
              <Progress
                value={total ? (r.count / total) * 100 : 0}
                color={r.color}
                size="md"
                aria-hidden="true"
              />
            </Table.Td>
            <Table.Td w={48} ta="right" fw={600}>
              {r.count}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Counts by status and recommendation, and the ratings given on each criterion. */
function Counts({ report }: { report: CycleReport }) {
  const { cycle, board } = report;
  return (
    <Section id="report-counts" title="Where the reviews stand" breakBefore>
      <div className="accord-report-columns">
        <div>
          <Title order={3} size="h5" mb={4}>
            By status
          </Title>
          <CountTable
            label="Reviews by status"
            total={board.total}
            rows={REVIEW_STATUSES.map((s) => ({
              key: s,
              label: REVIEW_STATUS_LABELS[s],
              count: board.byStatus[s] ?? 0,
              color: REVIEW_STATUS_COLORS[s],
            }))}
          />
        </div>
        <div>
          <Title order={3} size="h5" mb={4}>
            By recommendation
          </Title>
          <CountTable
            label="Reviews by recommendation"
            total={board.total}
            rows={[...RECOMMENDATIONS, "none" as const].map((r) => ({
              key: r,
              label: r === "none" ? "None yet" : recommendationLabel(r),
              count: board.byRecommendation[r] ?? 0,
              color: r === "none" ? "gray" : "indigo",
            }))}
          />
        </div>
      </div>
      <Title order={3} size="h5" mt="lg" mb={4}>
        Ratings by criterion
      </Title>
      <Table verticalSpacing={6} aria-label="Ratings by criterion" className="accord-report-ratings">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="36%">Criterion</Table.Th>
            <Table.Th w="16%">Ratings</Table.Th>
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
                <Table.Td>
                  <b>{c.code}</b> {c.title}
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
    </Section>
  );
}

/** Matters × criteria, each cell coloured by its rating and saying it in words. */
function Matrix({ cycle, reviews }: { cycle: Cycle; reviews: ReportReview[] }) {
  return (
    <Section id="report-matrix" title="The matrix: matters × criteria" breakBefore>
      <Stack gap="xs">
        <RatingLegend scale={cycle.ratingScale} />
        <Table
          withTableBorder
          withColumnBorders
          verticalSpacing={4}
          fz="xs"
          className="accord-matrix accord-report-matrix"
          aria-label="Ratings matrix"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Matter</Table.Th>
              {cycle.criteria.map((c) => (
                <Table.Th key={c.code} ta="center" title={c.title}>
                  {c.code}
                </Table.Th>
              ))}
              <Table.Th>Recommendation</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reviews.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Th scope="row" fw={400}>
                  <Text inherit fw={600} lh={1.3}>
                    {r.matter.title}
                  </Text>
                  {r.changedSinceApproval ? <ChangedBadge /> : null}
                  <Text inherit c="dimmed" lh={1.3}>
                    {r.matter.jurisdiction}, {r.matter.stateCode}
                  </Text>
                </Table.Th>
                {cycle.criteria.map((c) => {
                  const code = r.findings[c.code]?.rating ?? null;
                  const level = levelOf(cycle.ratingScale, code);
                  return (
                    <Table.Td
                      key={c.code}
                      data-tone={level?.tone}
                      aria-label={`${c.code}: ${level ? level.label : "not rated"}`}
                    >
                      {level || code ? (
                        <RatingMark level={level} code={code && !level ? code : undefined} />
                      ) : (
                        <Text span inherit c="dimmed" aria-hidden="true">
                          –
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td c={r.recommendation ? undefined : "dimmed"}>
                  {r.recommendation ? recommendationLabel(r.recommendation) : "—"}
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{REVIEW_STATUS_LABELS[r.status]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Section>
  );
}

/** One matter's review on a page of its own: recommendation, then each finding with its citations. */
function MatterSection({ cycle, review: r, link }: { cycle: Cycle; review: ReportReview; link: boolean }) {
  const id = `matter-${r.id}`;
  return (
    <section className="accord-report-sheet" data-break="page" aria-labelledby={id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <div>
          <Title order={2} size="h3" id={id}>
            {r.matter.title}
          </Title>
          <Text size="sm" c="dimmed">
            {MATTER_KIND_LABELS[r.matter.kind] ?? r.matter.kind} · {r.matter.jurisdiction},{" "}
            {r.matter.stateCode} · {MATTER_STATUS_LABELS[r.matter.status] ?? r.matter.status}
          </Text>
        </div>
        <Group gap={6} wrap="nowrap">
          {r.changedSinceApproval ? <ChangedBadge /> : null}
          <ReviewStatusBadge status={r.status} size="lg" />
        </Group>
      </Group>
      {r.changedSinceApproval ? (
        <Text size="sm" c="orange.9" mt={4}>
          {CHANGED_HINT}.
        </Text>
      ) : null}
      <Text size="sm" mt={6}>
        {r.assignee ? `Reviewer: ${personName(r.assignee)}` : "No reviewer assigned"}
        {r.approvedBy ? ` · approved by ${personName(r.approvedBy)}` : ""}
        {r.approvedAt ? ` on ${formatDay(r.approvedAt)}` : ""}
        {link ? (
          <span className="accord-no-print">
            {" · "}
            <Anchor component={Link} to={`/reviews/${cycle.slug}/${r.id}`} size="sm">
              open the review
            </Anchor>
          </span>
        ) : null}
      </Text>
      <div className="accord-report-recommendation">
        <Text fw={700}>
          {`Recommendation: ${r.recommendation ? recommendationLabel(r.recommendation) : "none yet"}`}
        </Text>
        {r.recommendationRationale ? (
          <Text size="sm" mt={4} style={{ whiteSpace: "pre-wrap" }}>
            {r.recommendationRationale}
          </Text>
        ) : null}
      </div>
      <Stack gap={0} component="ol" className="accord-report-findings" aria-label="Findings">
        {cycle.criteria.map((c) => {
          const f = r.findings[c.code];
          const level = levelOf(cycle.ratingScale, f?.rating);
          return (
            <li key={c.code} className="accord-report-finding" data-tone={level?.tone ?? "unrated"}>
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                <Text size="sm" fw={600}>
                  <b>{c.code}</b> {c.title}
                </Text>
                <RatingMark level={level} code={f?.rating && !level ? f.rating : undefined} />
              </Group>
              {f?.rationale ? (
                <Text size="sm" mt={4} style={{ whiteSpace: "pre-wrap" }}>
                  {f.rationale}
                </Text>
              ) : null}
              {f?.citationLabels.length ? (
                <div className="accord-report-citations">
                  <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                    Cites
                  </Text>
                  <ul>
                    {f.citationLabels.map((label, i) => {
                      const citation = f.citations[i];
                      return (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a citation may repeat with another page
                        <li key={i}>
                          {citation ? (
                            <CitationLink citation={citation} text={label} matterSlug={r.matter.slug} />
                          ) : (
                            label
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              ) : null}
            </li>
          );
        })}
      </Stack>
    </section>
  );
}

/** The reviews with nothing in them yet, listed together rather than a blank page each. */
function NotReviewed({ reviews }: { reviews: ReportReview[] }) {
  return (
    <Section id="report-not-reviewed" title={`Not reviewed yet (${reviews.length})`} breakBefore>
      <Text size="sm" c="dimmed" mb="xs">
        These reviews have no rating, rationale or recommendation yet.
      </Text>
      <Table verticalSpacing={4} fz="sm" aria-label="Not reviewed yet">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Matter</Table.Th>
            <Table.Th>Jurisdiction</Table.Th>
            <Table.Th>Reviewer</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reviews.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.matter.title}</Table.Td>
              <Table.Td>
                {r.matter.jurisdiction}, {r.matter.stateCode}
              </Table.Td>
              <Table.Td c={r.assignee ? undefined : "dimmed"}>
                {r.assignee ? personName(r.assignee) : "Unassigned"}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function ReportScreen({
  report,
  reviewId,
  include,
  onInclude,
}: {
  report: CycleReport;
  reviewId: string | undefined;
  include: ReportInclude;
  onInclude: (include: ReportInclude) => void;
}) {
  const { cycle } = report;
  const one = reviewId ? (report.reviews.find((r) => r.id === reviewId) ?? null) : null;
  const title = one ? `Report: ${one.matter.title}` : `Report: ${cycle.name}`;
  useEffect(() => {
    document.title = `${title} · Accord`;
  }, [title]);
  if (reviewId && !one) return <NotFound what="review" />;
  const reviewed = report.reviews.filter(hasFindings);
  const notReviewed = report.reviews.filter((r) => !hasFindings(r));
  const back = one ? `/reviews/${cycle.slug}/${one.id}` : `/reviews/${cycle.slug}`;
  const pdf = one ? reviewReportUrl(one.id) : cycleReportUrl(cycle.slug, "pdf", include);
  return (
    <div className="accord-report-page">
      <Group justify="space-between" className="accord-no-print accord-report-toolbar" wrap="wrap" gap="sm">
        <BackLink to={back}>{one ? one.matter.title : cycle.name}</BackLink>
        <Group gap="xs">
          {one ? null : (
            <Select
              aria-label="Reviews to include"
              data={REPORT_INCLUDES.map((value) => ({ value, label: REPORT_INCLUDE_LABELS[value] }))}
              value={include}
              onChange={(v) => v && onInclude(v as ReportInclude)}
              allowDeselect={false}
              w={220}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          <Button
            component="a"
            href={pdf}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
            aria-label={one ? "Download the review as PDF" : "Download the report as PDF"}
          >
            PDF
          </Button>
          <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()}>
            Print
          </Button>
        </Group>
      </Group>
      <article className="accord-report" aria-label={title}>
        <Cover report={report} one={one} />
        {one ? (
          <MatterSection cycle={cycle} review={one} link={false} />
        ) : (
          <>
            <Counts report={report} />
            {report.reviews.length ? (
              <Matrix cycle={cycle} reviews={report.reviews} />
            ) : (
              <Section id="report-matrix" title="The matrix" breakBefore>
                <Alert color="gray" variant="light">
                  No reviews to show.
                </Alert>
              </Section>
            )}
            {reviewed.map((r) => (
              <MatterSection key={r.id} cycle={cycle} review={r} link />
            ))}
            {notReviewed.length ? <NotReviewed reviews={notReviewed} /> : null}
          </>
        )}
      </article>
    </div>
  );
}

/**
 * `/reviews/{cycle}/report`: the cycle's report, to read or print; `/reviews/{cycle}/{review}/report`:
 * one review's.
 */
export function ReportPage() {
  const { cycleSlug = "", reviewId } = useParams();
  const [params, setParams] = useSearchParams();
  const asked = params.get("include");
  const include: ReportInclude =
    !reviewId && REPORT_INCLUDES.includes(asked as ReportInclude) ? (asked as ReportInclude) : "all";
  const query = useCycleReport(cycleSlug, include);
  usePrintInLightTheme();
  const onInclude = (next: ReportInclude) =>
    setParams(next === "all" ? {} : { include: next }, { replace: true });
  return (
    <LoadedRecord query={query} what="review cycle">
      {(report) => (
        <ReportScreen report={report} reviewId={reviewId} include={include} onInclude={onInclude} />
      )}
    </LoadedRecord>
  );
}
