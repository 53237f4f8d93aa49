import { type Cycle, canApply, type Event, type Review, type Topic } from "@accord/domain";
import { Alert, Anchor, Grid, List, Skeleton, Stack, Tabs, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { Link, Navigate, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/client";
import { useMatterDocuments } from "../../api/documents";
import { reviewKeys, useCycle, useDraftSaved, useReview } from "../../api/reviews";
import { useCan, useCurrentUser } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { IconAlert, IconCheck, IconLock } from "../../components/icons";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { actionLabel, entityLabel, formatDay, formatTime, personName } from "../../lib/audit";
import { useProvisionsToCite } from "./citations";
import { eventLabel, MatterPanel, useEventOptions } from "./MatterPanel";
import { ReviewReportButtons } from "./ReportButtons";
import { ReviewConflict } from "./ReviewConflict";
import { CriterionCard, RecommendationCard, SaveIndicator } from "./ReviewForm";
import { ReviewHistory } from "./ReviewHistory";
import { type Missing, NOTHING_MISSING, type ReviewAbilities, SignOff } from "./SignOff";
import { SnapshotCompare } from "./SnapshotCompare";
import { useReviewDraft } from "./use-review-draft";

export type ReviewTab = "review" | "history" | "snapshot";

/** What this user may do to the review, from their permissions, who they are and its state. */
function useAbilities(review: Review): ReviewAbilities {
  const user = useCurrentUser();
  const canWrite = useCan("reviews:write");
  const canApprove = useCan("reviews:approve");
  const canManage = useCan("cycles:manage");
  const isAdmin = user?.role === "admin";
  const mine = Boolean(user && review.assignee?.id === user.id);
  // An administrator may step in for a reviewer; a reviewer edits only what is assigned to them.
  const drafter = canWrite && (isAdmin || mine);
  const edit = drafter && canApply("edit", review.status);
  const drafterId = review.submittedBy?.id ?? review.assignee?.id;
  const ownReview = Boolean(user && drafterId === user.id);
  return {
    edit,
    submit: drafter && canApply("submit", review.status),
    approve: canApprove && canApply("approve", review.status) && !ownReview,
    reopen: canManage && canApply("reopen", review.status),
    ownReview: canApprove && ownReview,
  };
}

/** The approving official's word, the approval, what changed since, a reopening. */
function StatusNotes({ review, can }: { review: Review; can: ReviewAbilities }) {
  const user = useCurrentUser();
  const notes = [];
  if (review.status === "returned" && review.returnComment) {
    notes.push(
      <Alert
        key="returned"
        color="orange"
        variant="filled"
        icon={<IconAlert />}
        title="Returned for changes"
        role="note"
        aria-label="Returned for changes"
      >
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {review.returnComment}
        </Text>
        {can.submit ? (
          <Text size="xs" mt={6} opacity={0.9}>
            Amend the review, then submit it again.
          </Text>
        ) : null}
      </Alert>,
    );
  } else if (review.status === "submitted" && review.returnComment) {
    notes.push(
      <Alert key="earlier" color="gray" variant="light" title="Returned earlier with this comment">
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {review.returnComment}
        </Text>
      </Alert>,
    );
  }
  if (review.status === "approved") {
    notes.push(
      <Alert key="approved" color="teal" variant="light" icon={<IconCheck />} title="Approved">
        <Text size="sm">
          Approved by {review.approvedBy ? personName(review.approvedBy) : "an approving official"}
          {review.approvedAt ? ` on ${formatDay(review.approvedAt)}` : ""}
          {review.submittedBy ? `; drafted by ${personName(review.submittedBy)}` : ""}.
        </Text>
      </Alert>,
    );
  }
  if (review.changedSinceApproval) {
    notes.push(
      <Alert key="changed" color="yellow" variant="light" icon={<IconAlert />} title="Changed since approval">
        <Text size="sm">The matter has changed since this review was approved:</Text>
        <List size="sm" mt={4}>
          {review.changes.map((c) => (
            <List.Item key={`${c.at}-${c.action}-${c.what}`}>
              {formatTime(c.at)} · {c.actor} · {actionLabel(c.action)}
              {c.what ? `: ${c.what}` : ` (${entityLabel(c.entity).toLowerCase()})`}
            </List.Item>
          ))}
        </List>
        <Anchor
          component={Link}
          to={`/reviews/${review.cycle.slug}/${review.id}/as-reviewed`}
          size="sm"
          fw={600}
          mt={6}
          display="inline-block"
        >
          Compare with the matter as reviewed →
        </Anchor>
      </Alert>,
    );
  }
  if (review.reopenReason && canApply("edit", review.status)) {
    notes.push(
      <Alert key="reopened" color="blue" variant="light" title="Reopened">
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {review.reopenReason}
        </Text>
      </Alert>,
    );
  }
  if (can.edit && user?.role === "admin" && review.assignee?.id !== user.id) {
    notes.push(
      <Alert
        key="stepping-in"
        color="gray"
        variant="light"
        icon={<IconLock />}
        title="Editing as an administrator"
      >
        <Text size="sm">
          {review.assignee
            ? `This review is assigned to ${personName(review.assignee)}; you may step in and edit it.`
            : "This review is assigned to nobody yet; assign it from the cycle's board, or edit it yourself."}
        </Text>
      </Alert>,
    );
  }
  if (!can.edit && canApply("edit", review.status) && user?.role === "reviewer") {
    notes.push(
      <Alert key="readonly" color="gray" variant="light" icon={<IconLock />} title="Read only">
        <Text size="sm">
          {review.assignee
            ? `This review is assigned to ${personName(review.assignee)}: only they may draft it.`
            : "This review is assigned to nobody yet: an administrator assigns it first."}
        </Text>
      </Alert>,
    );
  }
  return notes.length ? <Stack gap="sm">{notes}</Stack> : null;
}

/** The review's form beside the matter: findings per criterion, recommendation, sign-off. */
function ReviewWorkspace({ review, cycle }: { review: Review; cycle: Cycle }) {
  const qc = useQueryClient();
  const can = useAbilities(review);
  const draftSaved = useDraftSaved();
  const { events } = useEventOptions(review.matter.slug);
  const documents = useMatterDocuments(review.matter.slug).data?.items ?? [];
  // One read of the matter's provisions on any criterion's topics, shared out by criterion
  // (definitions say what words mean, not what is required: they are left out).
  const topics = [...new Set(cycle.criteria.flatMap((c) => c.topics))].sort() as Topic[];
  const bearing = useProvisionsToCite(review.matter.slug, { topic: topics, limit: 500 }, topics.length > 0);
  const bearingOn = (c: Cycle["criteria"][number]) =>
    bearing.data?.items.filter((p) => !p.isDefinition && p.topics.some((t) => c.topics.includes(t.topic)));
  const [missing, setMissing] = useState<Missing>(NOTHING_MISSING);
  const draft = useReviewDraft({
    review,
    criteria: cycle.criteria,
    editable: can.edit,
    onSaved: (r) => void draftSaved(r),
    onRefused: () => void qc.invalidateQueries({ queryKey: reviewKeys.review(review.id) }),
  });
  const { follow } = draft;
  // The review read again (after an action, or another tab's save): follow it when nothing waits.
  useEffect(() => follow(review), [review, follow]);

  const values = draft.values;
  const editable = can.edit && draft.state.kind !== "conflict";
  const setFinding = useCallback(
    (code: string, next: (typeof values.findings)[string]) => {
      draft.setValues((v) => ({ ...v, findings: { ...v.findings, [code]: next } }));
      if (next.rating && missing.codes.has(code)) {
        const codes = new Set(missing.codes);
        codes.delete(code);
        setMissing({ ...missing, codes });
      }
    },
    [draft, missing],
  );
  const cite = (code: string, e: Event) => {
    const f = values.findings[code];
    if (!f || f.citations.some((c) => c.type === "event" && c.id === e.id)) return;
    setFinding(code, {
      ...f,
      citations: [...f.citations, { type: "event", id: e.id, label: eventLabel(e) }],
    });
  };

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 4 }} order={{ base: 1, lg: 1 }}>
        <aside className="accord-review-aside" aria-label="The matter under review">
          <MatterPanel
            slug={review.matter.slug}
            criteria={cycle.criteria}
            onCite={editable ? cite : undefined}
            isCited={(code, id) =>
              Boolean(values.findings[code]?.citations.some((c) => c.type === "event" && c.id === id))
            }
          />
        </aside>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 8 }} order={{ base: 2, lg: 2 }}>
        <Stack gap="md" component="form" aria-label="Review" onSubmit={(e) => e.preventDefault()}>
          <SignOff
            review={review}
            criteria={cycle.criteria}
            can={can}
            dueOn={cycle.dueOn}
            flush={draft.flush}
            draftVersion={draft.version}
            onDone={(r) => qc.setQueryData(reviewKeys.review(r.id), r)}
            missing={missing}
            setMissing={setMissing}
            saveIndicator={<SaveIndicator state={draft.state} onRetry={() => void draft.flush()} />}
          />
          <StatusNotes review={review} can={can} />
          {draft.state.kind === "conflict" ? (
            <ReviewConflict
              theirs={draft.state.theirs}
              mine={values}
              criteria={cycle.criteria}
              scale={cycle.ratingScale}
              restoredAt={draft.state.restoredAt}
              editable={can.edit}
              onLoadTheirs={draft.loadTheirs}
              onKeepMine={draft.keepMine}
              onDiscard={draft.discardMine}
            />
          ) : null}
          {draft.state.kind === "failed" ? (
            <ProblemAlert
              error={new ApiError(draft.state.problem.status, draft.state.problem, "Not saved")}
              title="The draft was not saved"
            />
          ) : null}
          {cycle.criteria.map((c) => (
            <CriterionCard
              key={c.code}
              criterion={c}
              scale={cycle.ratingScale}
              finding={values.findings[c.code] ?? { rating: null, rationale: "", citations: [] }}
              events={events}
              documents={documents}
              matterSlug={review.matter.slug}
              bearing={bearing.isError ? [] : bearingOn(c)}
              editable={editable}
              missing={missing.codes.has(c.code)}
              onChange={(next) => setFinding(c.code, next)}
            />
          ))}
          <RecommendationCard
            values={values}
            editable={editable}
            missing={missing.recommendation}
            onChange={(patch) => {
              draft.setValues((v) => ({ ...v, ...patch }));
              if (patch.recommendation && missing.recommendation)
                setMissing({ ...missing, recommendation: false });
            }}
          />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function ReviewScreen({ review, tab }: { review: Review; tab: ReviewTab }) {
  const navigate = useNavigate();
  const cycle = useCycle(review.cycle.slug);
  const canReadHistory = useCan("reviews:read-drafts");
  const base = `/reviews/${review.cycle.slug}/${review.id}`;
  const hasSnapshot = review.status === "approved" && review.snapshot !== null;
  return (
    <>
      <BackLink to={`/reviews/${review.cycle.slug}`}>{review.cycle.name}</BackLink>
      <PageTitle
        title={review.matter.title}
        docTitle={`Review: ${review.matter.title}`}
        subtitle={
          <>
            {`Review in ${review.cycle.name} · ${review.matter.jurisdiction}, ${review.matter.stateCode} · `}
            <Anchor component={Link} to={`/matters/${review.matter.slug}`} size="sm">
              the matter's page
            </Anchor>
          </>
        }
        actions={<ReviewReportButtons cycleSlug={review.cycle.slug} id={review.id} />}
      />
      <Tabs
        value={tab}
        onChange={(t) =>
          navigate(t === "history" ? `${base}/history` : t === "snapshot" ? `${base}/as-reviewed` : base)
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="review">Review</Tabs.Tab>
          {hasSnapshot || tab === "snapshot" ? (
            <Tabs.Tab value="snapshot">Matter as reviewed</Tabs.Tab>
          ) : null}
          {canReadHistory ? <Tabs.Tab value="history">History</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="review">
          {cycle.error ? (
            <ProblemAlert error={cycle.error} onRetry={() => cycle.refetch()} />
          ) : cycle.isPending ? (
            <Skeleton height={400} />
          ) : (
            <ReviewWorkspace key={review.id} review={review} cycle={cycle.data} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="snapshot">
          <SnapshotCompare review={review} />
        </Tabs.Panel>
        {canReadHistory ? (
          <Tabs.Panel value="history">
            {cycle.data ? (
              <ReviewHistory id={review.id} criteria={cycle.data.criteria} scale={cycle.data.ratingScale} />
            ) : (
              <Skeleton height={200} />
            )}
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </>
  );
}

/** `/reviews/{cycle}/{review}`: one matter's review in a cycle. */
export function ReviewPage({ tab }: { tab: ReviewTab }) {
  const { reviewId = "" } = useParams();
  const query = useReview(reviewId);
  return (
    <LoadedRecord query={query} what="review">
      {(review) => <ReviewScreen review={review} tab={tab} />}
    </LoadedRecord>
  );
}

/** `/review/{id}`: a short address for a review, sent on to its place in its cycle. */
export function ReviewRedirect() {
  const { reviewId = "" } = useParams();
  const query = useReview(reviewId);
  return (
    <LoadedRecord query={query} what="review">
      {(review) => <Navigate to={`/reviews/${review.cycle.slug}/${review.id}`} replace />}
    </LoadedRecord>
  );
}
