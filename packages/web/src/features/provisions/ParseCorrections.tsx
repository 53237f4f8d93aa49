import type { DecreeParse, ParseEdit } from "@accord/domain";
import { Button, Group, Modal, NumberInput, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { isApiError } from "../../api/client";
import { useEditParse } from "../../api/provisions";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { firstWords } from "./shared";

type ParsedProvision = DecreeParse["provisions"][number];

/** The correction asked for from a provision's menu, and the provision it is for. */
export type Correction =
  | { kind: "split"; p: ParsedProvision }
  | { kind: "merge"; p: ParsedProvision }
  | { kind: "renumber"; p: ParsedProvision }
  | { kind: "edit"; p: ParsedProvision }
  | null;

/**
 * The dialogs that correct a draft parse (split, merge, renumber, edit text): the one asked
 * for is open; a correction made closes it and says so.
 */
export function CorrectionDialogs({
  parse,
  dialog,
  onClose,
}: {
  parse: DecreeParse;
  dialog: Correction;
  onClose: () => void;
}) {
  const edit = useEditParse();

  /** Closes the open dialog and forgets the last edit's error. */
  const closeDialog = () => {
    onClose();
    edit.reset();
  };
  const apply = (op: ParseEdit, done: string) =>
    edit.mutate(
      { id: parse.id, version: parse.version, edit: op },
      {
        onSuccess: () => {
          notifications.show({ color: "teal", title: "Draft corrected", message: done });
          closeDialog();
        },
      },
    );

  return (
    <>
      <SplitModal
        key={dialog?.kind === "split" ? `split-${dialog.p.number}` : "split"}
        p={dialog?.kind === "split" ? dialog.p : null}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onSplit={(p, at) => apply({ op: "split", number: p.number, at }, `${p.label} split in two`)}
      />
      <RenumberModal
        key={dialog?.kind === "renumber" ? `renumber-${dialog.p.number}` : "renumber"}
        p={dialog?.kind === "renumber" ? dialog.p : null}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onRenumber={(p, to) => apply({ op: "renumber", from: p.number, to }, `${p.label} is now ¶ ${to}`)}
      />
      <EditTextModal
        p={dialog?.kind === "edit" ? dialog.p : null}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onSave={(p, text) => apply({ op: "edit", number: p.number, text }, `${p.label}: text replaced`)}
      />
      <ConfirmModal
        opened={dialog?.kind === "merge"}
        title={dialog?.kind === "merge" ? `Merge ${dialog.p.label} into ¶ ${dialog.p.number - 1}?` : "Merge"}
        confirmLabel="Merge"
        color="blue"
        busy={edit.isPending}
        onClose={closeDialog}
        onConfirm={() => {
          if (dialog?.kind === "merge")
            apply({ op: "merge", number: dialog.p.number }, `${dialog.p.label} merged`);
        }}
      >
        <Text size="sm">
          Its text joins the provision before it, and the numbers after it move down by one.
        </Text>
        {edit.error ? <EditProblem error={edit.error} /> : null}
      </ConfirmModal>
    </>
  );
}

/** A correction refused: a stale draft says so plainly (the draft is reloaded). */
function EditProblem({ error }: { error: unknown }) {
  if (isApiError(error) && (error.status === 412 || error.status === 409))
    return (
      <ProblemAlert
        error={error}
        title={error.status === 412 ? "Someone else corrected this draft meanwhile" : undefined}
      />
    );
  return <ProblemAlert error={error} title="Not corrected" />;
}

/** Split a provision where the cursor is put in its text. */
function SplitModal({
  p,
  busy,
  error,
  onClose,
  onSplit,
}: {
  p: ParsedProvision | null;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onSplit: (p: ParsedProvision, at: number) => void;
}) {
  const [cursor, setCursor] = useState(0);
  const [words, setWords] = useState("");
  const text = p?.text ?? "";
  // The words typed win over the cursor: the first place they start after the beginning.
  const found = words.trim() ? text.indexOf(words.trim(), 1) : -1;
  const at = words.trim() ? found : cursor;
  const valid = at > 0 && at < text.length && text.slice(at).trim() !== "" && text.slice(0, at).trim() !== "";
  const track = (el: HTMLTextAreaElement) => setCursor(el.selectionStart);
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Split ${p.label}` : "Split"} size="lg">
      {p ? (
        <Stack gap="sm">
          <Text size="sm">
            Put the cursor where the next provision starts (click, or move with the arrow keys), or type the
            words it starts with. The numbers after it move up by one.
          </Text>
          <Textarea
            label={`Text of ${p.label}`}
            description="The text is not changed here: only the cursor counts."
            value={text}
            // Not read-only: a read-only box has no caret to move with the keyboard. Typing changes nothing.
            onChange={() => undefined}
            autosize
            minRows={4}
            maxRows={14}
            onSelect={(e) => track(e.currentTarget)}
            onClick={(e) => track(e.currentTarget)}
            onKeyUp={(e) => track(e.currentTarget)}
          />
          <TextInput
            label="Or: the words the next provision starts with"
            value={words}
            onChange={(e) => setWords(e.currentTarget.value)}
            error={words.trim() && found < 1 ? "These words are not in the text (after its start)" : null}
          />
          <Text size="sm" c={valid ? undefined : "dimmed"} aria-live="polite">
            {valid
              ? `¶ ${p.number + 1} would start: “${firstWords(text.slice(at), 90)}”`
              : "No split point chosen yet."}
          </Text>
          {error ? <EditProblem error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button disabled={!valid} loading={busy} onClick={() => onSplit(p, at)}>
              Split here
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

function RenumberModal({
  p,
  busy,
  error,
  onClose,
  onRenumber,
}: {
  p: ParsedProvision | null;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onRenumber: (p: ParsedProvision, to: number) => void;
}) {
  const [to, setTo] = useState<string | number>("");
  const n = typeof to === "number" ? to : Number.NaN;
  const valid = Number.isInteger(n) && n >= 1 && n !== p?.number;
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Renumber ${p.label}` : "Renumber"}>
      {p ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onRenumber(p, n);
          }}
        >
          <Stack gap="sm">
            <NumberInput
              label="New number"
              description="The provisions after it move by the same amount."
              min={1}
              max={100000}
              allowDecimal={false}
              value={to}
              onChange={setTo}
              data-autofocus
            />
            {error ? <EditProblem error={error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" disabled={!valid} loading={busy}>
                Renumber
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

function EditTextModal({
  p,
  busy,
  error,
  onClose,
  onSave,
}: {
  p: ParsedProvision | null;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onSave: (p: ParsedProvision, text: string) => void;
}) {
  const [text, setText] = useState<{ of: number; value: string } | null>(null);
  const value = p && text?.of === p.number ? text.value : (p?.text ?? "");
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Edit the text of ${p.label}` : "Edit"} size="lg">
      {p ? (
        <Stack gap="sm">
          <Textarea
            label="Text"
            value={value}
            onChange={(e) => setText({ of: p.number, value: e.currentTarget.value })}
            autosize
            minRows={6}
            maxRows={18}
            data-autofocus
          />
          {error ? <EditProblem error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button
              disabled={value.trim() === "" || value === p.text}
              loading={busy}
              onClick={() => onSave(p, value)}
            >
              Save text
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
