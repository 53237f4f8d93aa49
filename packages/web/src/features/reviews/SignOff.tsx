import { type Criterion, formatPartialDate, ReturnReviewSchema, type Review } from "@accord/domain";
import { Alert, Anchor, Button, Card, Group, List, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { type ReactNode, useState } from "react";
import { isApiError } from "../../api/client";
import { useReviewTransition } from "../../api/reviews";
import { ConfirmModal } from "../../components/ConfirmModal";
import { IconAlert } from "../../components/icons";
import { ProblemAlert } from "../../components/ProblemAlert";
import { personName } from "../../lib/audit";
import { maxLengths } from "../../lib/forms";
import { ReviewStatusBadge } from "./ReviewBadges";

/** What the signed-in user may do to this review, as the domain's policy and its state allow. */
export interface ReviewAbilities {
  edit: boolean;
  submit: boolean;
  approve: boolean;
  reopen: boolean;
  /** An approving official who drafted it: another must sign it off. */
  ownReview: boolean;
}

/** What the server said is missing before submitting: criterion codes, and the recommendation. */
export interface Missing {
  codes: Set<string>;
  recommendation: boolean;
  messages: string[];
}

export const NOTHING_MISSING: Missing = { codes: new Set(), recommendation: false, messages: [] };

/** Read a `review_incomplete` answer: paths like `findings.A.rating` (or by index) and `recommendation`. */
export function missingOf(error: unknown, criteria: readonly Criterion[]): Missing | null {
  if (!isApiError(error) || error.problem?.code !== "review_incomplete") return null;
  const codes = new Set<string>();
  let recommendation = false;
  const messages: string[] = [];
  for (const e of error.problem.errors ?? []) {
    const path = e.path.replace(/^body\.?/, "");
    const m = /^findings\.([^.]+)(\.|$)/.exec(path);
    if (m?.[1]) {
      const key = m[1];
      const byCode = criteria.find((c) => c.code === key);
      const byIndex = /^\d+$/.test(key) ? criteria[Number(key)] : undefined;
      const c = byCode ?? byIndex;
      if (c) codes.add(c.code);
    } else if (path === "recommendation") recommendation = true;
    messages.push(e.message);
  }
  return { codes, recommendation, messages };
}

const REASON_LIMIT = maxLengths(ReturnReviewSchema).comment;

function ReasonModal({
  opened,
  title,
  label,
  description,
  confirmLabel,
  color,
  busy,
  error,
  onClose,
  onConfirm,
}: {
  opened: boolean;
  title: string;
  label: string;
  description: string;
  confirmLabel: string;
  color: string;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onConfirm: (text: string) => void;
}) {
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const empty = text.trim() === "";
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!empty) onConfirm(text.trim());
        }}
        noValidate
      >
        <Stack gap="sm">
          <Textarea
            label={label}
            description={description}
            withAsterisk
            autosize
            minRows={4}
            maxRows={14}
            // Return and reopen both take up to the same length (ReturnReviewSchema, ReopenReviewSchema).
            maxLength={REASON_LIMIT}
            data-autofocus
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={touched && empty ? "Say what it is about" : undefined}
          />
          {error ? <ProblemAlert error={error} title="Not done" /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color={color} loading={busy}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The sign-off: where the review stands and who has it, and what this user may do next —
 * submit it (its reviewer), approve or return it (an approving official), reopen it (an
 * administrator).
 */
export function SignOff({
  review,
  criteria,
  can,
  dueOn,
  flush,
  draftVersion,
  onDone,
  missing,
  setMissing,
  saveIndicator,
}: {
  review: Review;
  criteria: readonly Criterion[];
  can: ReviewAbilities;
  dueOn: string | null;
  /** Save what is typed before submitting; false when it could not be saved. */
  flush: () => Promise<boolean>;
  /** The version the draft was last saved as: what submitting it names (If-Match). */
  draftVersion: () => number;
  onDone: (review: Review) => void;
  missing: Missing;
  setMissing: (m: Missing) => void;
  saveIndicator: ReactNode;
}) {
  const transition = useReviewTransition();
  const [approving, approveModal] = useDisclosure(false);
  const [returning, returnModal] = useDisclosure(false);
  const [reopening, reopenModal] = useDisclosure(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = (t: Parameters<typeof transition.mutate>[0], done: string, close?: () => void) => {
    setError(null);
    transition.mutate(t, {
      onSuccess: (r) => {
        close?.();
        setMissing(NOTHING_MISSING);
        notifications.show({ color: "teal", title: done, message: r.matter.title });
        onDone(r);
      },
      onError: (e) => {
        const m = missingOf(e, criteria);
        if (m) {
          setMissing(m);
          // The first thing missing takes the focus, so the keyboard lands where work is left.
          const first = criteria.find((c) => m.codes.has(c.code));
          requestAnimationFrame(() => {
            const target = first
              ? document.querySelector<HTMLElement>(`#criterion-${CSS.escape(first.code)} input[type=radio]`)
              : document.querySelector<HTMLElement>(`[data-path="recommendation"] input[type=radio]`);
            target?.focus();
          });
        }
        if (!close) setError(e);
      },
    });
  };

  const submit = async () => {
    setSubmitting(true);
    setError(null);
    try {
      const saved = await flush();
      if (!saved) {
        setError(new Error("The draft could not be saved first: see the message above the form."));
        return;
      }
      run({ id: review.id, action: "submit", version: draftVersion() }, "Submitted for approval");
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <Card
        withBorder
        padding="sm"
        component="section"
        aria-label="Sign-off"
        className="accord-signoff"
        shadow="xs"
      >
        <Stack gap={6}>
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Group gap="sm" wrap="wrap">
              <ReviewStatusBadge status={review.status} size="lg" />
              <Text size="sm" c="dimmed">
                {review.assignee ? `Reviewer: ${personName(review.assignee)}` : "Not assigned yet"}
                {dueOn ? ` · due ${formatPartialDate(dueOn)}` : ""}
              </Text>
              {review.overdue ? (
                <Text size="sm" c="red" fw={600}>
                  Overdue
                </Text>
              ) : null}
            </Group>
            <Group gap="xs">
              {can.submit ? (
                <Button
                  onClick={() => void submit()}
                  loading={submitting || (transition.isPending && !approving)}
                >
                  Submit for approval
                </Button>
              ) : null}
              {can.approve ? (
                <>
                  <Button color="orange" variant="light" onClick={returnModal.open}>
                    Return…
                  </Button>
                  <Button color="teal" onClick={approveModal.open}>
                    Approve…
                  </Button>
                </>
              ) : null}
              {can.reopen ? (
                <Button variant="default" onClick={reopenModal.open}>
                  Reopen…
                </Button>
              ) : null}
            </Group>
          </Group>
          {can.edit ? saveIndicator : null}
          {can.ownReview && review.status === "submitted" ? (
            <Text size="sm" c="dimmed">
              You drafted this review: another approving official signs it off.
            </Text>
          ) : null}
        </Stack>
      </Card>
      {missing.codes.size > 0 || missing.recommendation ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlert />}
          title="Not submitted: the review is not complete"
          role="alert"
        >
          <List size="sm">
            {criteria
              .filter((c) => missing.codes.has(c.code))
              .map((c) => (
                <List.Item key={c.code}>
                  <Anchor href={`#criterion-${c.code}`} size="sm">
                    {c.code} {c.title}
                  </Anchor>
                  : give it a rating
                </List.Item>
              ))}
            {missing.recommendation ? (
              <List.Item>
                <Anchor href="#recommendation-h" size="sm">
                  Recommendation
                </Anchor>
                : choose one
              </List.Item>
            ) : null}
          </List>
        </Alert>
      ) : null}
      {error && !missingOf(error, criteria) ? <ProblemAlert error={error} title="Not done" /> : null}
      <ConfirmModal
        opened={approving}
        title="Approve this review?"
        confirmLabel="Approve"
        color="teal"
        busy={transition.isPending}
        onClose={() => {
          transition.reset();
          approveModal.close();
        }}
        onConfirm={() =>
          run({ id: review.id, action: "approve", version: review.version }, "Approved", approveModal.close)
        }
      >
        <Text size="sm">
          Approving signs the review off: it can no longer be edited, and the matter is kept as it stands
          today so that later changes show.
        </Text>
        {transition.error ? <ProblemAlert error={transition.error} title="Not approved" /> : null}
      </ConfirmModal>
      <ReasonModal
        opened={returning}
        title="Return to the reviewer"
        label="What needs to change"
        description="The reviewer sees this at the top of the review."
        confirmLabel="Return review"
        color="orange"
        busy={transition.isPending}
        error={transition.error}
        onClose={() => {
          transition.reset();
          returnModal.close();
        }}
        onConfirm={(comment) =>
          run(
            { id: review.id, action: "return", comment, version: review.version },
            "Returned",
            returnModal.close,
          )
        }
      />
      <ReasonModal
        opened={reopening}
        title="Reopen this approved review"
        label="Why it is reopened"
        description="Recorded in the review's history; the reviewer drafts it again."
        confirmLabel="Reopen review"
        color="indigo"
        busy={transition.isPending}
        error={transition.error}
        onClose={() => {
          transition.reset();
          reopenModal.close();
        }}
        onConfirm={(reason) =>
          run(
            { id: review.id, action: "reopen", reason, version: review.version },
            "Reopened",
            reopenModal.close,
          )
        }
      />
    </>
  );
}
