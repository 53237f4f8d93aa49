import { Button, Group, NativeSelect, Select, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { isValidPage, type RowValues } from "./grid-draft";
import { type Level, levelLabel, plural } from "./levels";
import type { Doc } from "./use-rating-grid";

/**
 * The rating grid's bulk bar: one level (and, optionally, one piece of evidence) for every
 * selected row shown, kept as unsaved edits like any other.
 */
export function BulkSetBar({
  selectedCount,
  hasSelection,
  levels,
  documents,
  onSet,
  onClearSelection,
}: {
  /** The selected rows shown, the ones a bulk set changes. */
  selectedCount: number;
  /** Whether any row is selected, shown or not. */
  hasSelection: boolean;
  levels: readonly Level[];
  documents: readonly Doc[];
  /** Applies the patch to the selected rows shown; false when they take no edits right now. */
  onSet: (patch: Partial<RowValues>) => boolean;
  onClearSelection: () => void;
}) {
  const [bulkLevel, setBulkLevel] = useState<string | null>(null);
  const [bulkDocument, setBulkDocument] = useState<string>("");
  const [bulkPage, setBulkPage] = useState("");

  const applyBulk = () => {
    if (!bulkLevel) return;
    const patch: Partial<RowValues> = { level: bulkLevel === "__none" ? null : bulkLevel };
    if (bulkDocument) {
      patch.documentId = bulkDocument;
      patch.page = bulkPage.trim();
    }
    if (!onSet(patch)) return;
    notifications.show({
      color: "blue",
      title: "Level set",
      message: `${plural(selectedCount, "provision")} set to ${
        bulkLevel === "__none" ? "no rating" : levelLabel(levels, bulkLevel)
      }; save to keep it.`,
    });
  };

  return (
    <Group gap="sm" align="flex-end" mt="sm" wrap="wrap" aria-label="Bulk set" role="group">
      <Text size="sm" fw={600} w={110}>
        {selectedCount ? `${plural(selectedCount, "row")} selected` : "No row selected"}
      </Text>
      <Select
        size="xs"
        w={200}
        label="Level for the selected"
        placeholder="Choose a level"
        data={[
          ...levels.map((l) => ({ value: l.code, label: l.label })),
          { value: "__none", label: "No rating (remove)" },
        ]}
        value={bulkLevel}
        onChange={setBulkLevel}
      />
      <NativeSelect
        size="xs"
        w={220}
        label="Evidence (optional)"
        value={bulkDocument}
        onChange={(e) => setBulkDocument(e.currentTarget.value)}
        data={[
          { value: "", label: "— Keep each row's —" },
          ...documents.map((d) => ({ value: d.id, label: d.title })),
        ]}
      />
      <TextInput
        size="xs"
        w={70}
        label="Page"
        inputMode="numeric"
        // Pages run to 100,000 (the evidence schema's limit).
        maxLength={6}
        value={bulkPage}
        disabled={!bulkDocument}
        error={!isValidPage(bulkPage) ? true : undefined}
        onChange={(e) => setBulkPage(e.currentTarget.value)}
      />
      <Button
        size="xs"
        variant="light"
        onClick={applyBulk}
        disabled={!bulkLevel || selectedCount === 0 || !isValidPage(bulkPage)}
      >
        Set level for selected
      </Button>
      <Button size="xs" variant="subtle" onClick={onClearSelection} disabled={!hasSelection}>
        Clear selection
      </Button>
    </Group>
  );
}
