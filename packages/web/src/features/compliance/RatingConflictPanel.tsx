import { List, Text } from "@mantine/core";
import type { CurrentRating } from "../../api/compliance";
import { ConflictFrame } from "../../components/ConflictAlert";
import { type Edit, editKey, type GridItem } from "./grid-draft";
import { type Level, levelLabel } from "./levels";

/** The ratings that someone else changed meanwhile, and how this person wants to go on. */
export function RatingConflictPanel({
  conflicts,
  items,
  levels,
  edits,
  onOverwrite,
  onTakeTheirs,
  busy,
}: {
  conflicts: CurrentRating[];
  items: readonly GridItem[];
  levels: readonly Level[];
  edits: ReadonlyMap<string, Edit>;
  onOverwrite: () => void;
  onTakeTheirs: () => void;
  busy: boolean;
}) {
  const labelOf = (id: string) => items.find((i) => i.provision.id === id)?.provision.label ?? "A provision";
  return (
    <ConflictFrame
      title="Some of these ratings were changed in another tab or by another user"
      takeTheirsLabel="Keep their ratings for these"
      onTakeTheirs={onTakeTheirs}
      onOverwrite={onOverwrite}
      busy={busy}
    >
      <Text size="sm">
        {conflicts.length === 1 ? "One rating was" : `${conflicts.length} ratings were`} saved in another tab
        or by another user since you loaded the grid. Nothing was saved; your changes are still here.
      </Text>
      <List size="sm" mt="xs">
        {conflicts.slice(0, 12).map((c) => {
          const mine = edits.get(editKey(c.provisionId, c.periodId, c.rater));
          return (
            <List.Item key={editKey(c.provisionId, c.periodId, c.rater)}>
              {labelOf(c.provisionId)}: now{" "}
              <b>{c.assessment ? levelLabel(levels, c.assessment.level) : "no rating"}</b>
              {c.assessment?.ratedBy ? ` (by ${c.assessment.ratedBy})` : ""}; yours:{" "}
              <b>{mine ? levelLabel(levels, mine.level) : "—"}</b>
            </List.Item>
          );
        })}
        {conflicts.length > 12 ? <List.Item>… and {conflicts.length - 12} more</List.Item> : null}
      </List>
    </ConflictFrame>
  );
}
