import {
  type DocumentRecord,
  RATING_WORDING_LABELS,
  RATING_WORDING_NAMES,
  type RatingWordingName,
} from "@accord/domain";
import { Alert, Button, Group, Modal, Select, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { usePeriods } from "../../api/compliance";
import { useCreateRatingDraft } from "../../api/rating-drafts";
import { useCan } from "../../api/session";
import { IconClipboardCheck } from "../../components/icons";
import { formatDate } from "../../lib/dates";
import { errorMessage } from "../../lib/forms";
import { isParseable } from "../provisions/ParseActions";

type Doc = Pick<DocumentRecord, "id" | "kind" | "status" | "title" | "matter">;

/**
 * "Read ratings" on a monitor's report or an assessment of a matter: reads the ratings it gives
 * into a draft a person checks before accepting. The layout of the report is chosen here; the
 * ratings go to a reporting period of the matter.
 */
export function ReadRatingsButton({ document }: { document: Doc }) {
  const canRate = useCan("compliance:rate");
  const [open, setOpen] = useState(false);
  if (!canRate || !document.matter || isParseable(document)) return null;
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconClipboardCheck size={16} />}
        disabled={document.status !== "ready"}
        onClick={() => setOpen(true)}
      >
        Read ratings
      </Button>
      {open ? (
        <ReadRatingsDialog
          document={document}
          matterSlug={document.matter.slug}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}

function ReadRatingsDialog({
  document,
  matterSlug,
  onClose,
}: {
  document: Doc;
  matterSlug: string;
  onClose: () => void;
}) {
  const periods = usePeriods(matterSlug);
  const create = useCreateRatingDraft();
  const navigate = useNavigate();
  const [layout, setLayout] = useState<RatingWordingName>("provision-blocks");
  const [period, setPeriod] = useState<string | null>(null);
  const periodOptions = (periods.data?.items ?? []).map((p) => ({
    value: p.id,
    label: p.endsOn ? `${p.label} (to ${formatDate(p.endsOn)})` : p.label,
  }));
  return (
    <Modal opened onClose={onClose} title={`Read ratings from “${document.title}”`} size="lg">
      <Stack gap="sm">
        <Text size="sm">
          Accept nothing yet: the ratings found are listed for you to check beside the report's pages, correct
          or drop, and then accept as the period's ratings.
        </Text>
        <Select
          label="How the report gives its ratings"
          data={RATING_WORDING_NAMES.map((n) => ({ value: n, label: RATING_WORDING_LABELS[n] }))}
          value={layout}
          onChange={(v) => v && setLayout(v as RatingWordingName)}
          allowDeselect={false}
        />
        <Select
          label="Reporting period"
          description="The ratings are for this period (you can choose it later too)"
          placeholder={periodOptions.length ? "Choose a period" : "The matter has no period yet"}
          data={periodOptions}
          value={period}
          onChange={setPeriod}
          clearable
        />
        {periods.data && !periodOptions.length ? (
          <Text size="sm" c="dimmed">
            Add periods on the matter's <Link to={`/matters/${matterSlug}/compliance`}>compliance tab</Link>.
          </Text>
        ) : null}
        {create.error ? (
          <Alert color="red" title="The report could not be read">
            {errorMessage(create.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            loading={create.isPending}
            onClick={() =>
              create.mutate(
                { documentId: document.id, body: { wording: { layout }, ...(period ? { period } : {}) } },
                { onSuccess: (draft) => navigate(`/rating-drafts/${draft.id}`) },
              )
            }
          >
            Read ratings
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
