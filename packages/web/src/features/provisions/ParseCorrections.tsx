import {
  type DecreeParse,
  isParagraphDraft,
  normalizeLabel,
  type ParseEdit,
  ParseEditSchema,
  possibleParents,
} from "@accord/domain";
import { Button, Group, Modal, NumberInput, Radio, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { isApiError } from "../../api/client";
import { useEditParse } from "../../api/provisions";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { errorMessage, maxLengths } from "../../lib/forms";
import { firstWords } from "./shared";

/** The limits of the corrections' fields: labels, caption, text. */
const EDIT_LIMITS = maxLengths(ParseEditSchema);

type ParsedProvision = DecreeParse["provisions"][number];

/** The correction asked for from a node's menu (or its key), and the node it is for. */
export type Correction = {
  kind: "split" | "merge" | "renumber" | "relabel" | "edit" | "move";
  p: ParsedProvision;
} | null;

/** A label a person typed, checked as the server will: a clash is named before it is sent. */
export function labelProblem(parse: DecreeParse, typed: string, except?: string): string | null {
  const label = normalizeLabel(typed);
  if (!label) return null;
  if (label.length > 40) return "A label has at most 40 characters";
  const other = parse.provisions.find((q) => q.label === label && q.label !== except);
  return other
    ? `${label} is already the label of another node (page ${other.page}): choose another one, or relabel that node first`
    : null;
}

/** The node before a node in the document (what a merge joins it to). */
const previousOf = (parse: DecreeParse, p: ParsedProvision) =>
  parse.provisions[parse.provisions.findIndex((q) => q.label === p.label) - 1];

/**
 * The dialogs that correct a draft parse (split, merge, relabel or renumber, edit, move): the
 * one asked for is open; a correction made closes it and says so. A node is named by its label.
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
  const paragraphs = isParagraphDraft(parse.provisions);
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
        key={dialog?.kind === "split" ? `split-${dialog.p.label}` : "split"}
        parse={parse}
        p={dialog?.kind === "split" ? dialog.p : null}
        newLabelNeeded={!paragraphs}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onSplit={(p, at, newLabel) =>
          apply(
            { op: "split", label: p.label, at, ...(newLabel ? { newLabel } : {}) },
            newLabel
              ? `${p.label} split: ${normalizeLabel(newLabel)} starts where you chose`
              : `${p.label} split in two`,
          )
        }
      />
      <RenumberModal
        key={dialog?.kind === "renumber" ? `renumber-${dialog.p.label}` : "renumber"}
        p={dialog?.kind === "renumber" ? dialog.p : null}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onRenumber={(p, to) => apply({ op: "renumber", from: p.number, to }, `${p.label} is now ¶ ${to}`)}
      />
      <RelabelModal
        key={dialog?.kind === "relabel" ? `relabel-${dialog.p.label}` : "relabel"}
        parse={parse}
        p={dialog?.kind === "relabel" ? dialog.p : null}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onRelabel={(p, to) =>
          apply({ op: "relabel", label: p.label, to }, `${p.label} is now ${normalizeLabel(to)}`)
        }
      />
      <MoveModal
        key={dialog?.kind === "move" ? `move-${dialog.p.label}` : "move"}
        parse={parse}
        p={dialog?.kind === "move" ? dialog.p : null}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onMove={(p, parent) =>
          apply(
            { op: "move", label: p.label, parent },
            parent ? `${p.label} is now under ${parent}` : `${p.label} is now at the top`,
          )
        }
      />
      <EditTextModal
        key={dialog?.kind === "edit" ? `edit-${dialog.p.label}` : "edit"}
        p={dialog?.kind === "edit" ? dialog.p : null}
        withCaption={!paragraphs}
        busy={edit.isPending}
        error={edit.error}
        onClose={closeDialog}
        onSave={(p, change) => apply({ op: "edit", label: p.label, ...change }, `${p.label} corrected`)}
      />
      <ConfirmModal
        opened={dialog?.kind === "merge"}
        title={
          dialog?.kind === "merge"
            ? `Merge ${dialog.p.label} into ${previousOf(parse, dialog.p)?.label ?? "the node before"}?`
            : "Merge"
        }
        confirmLabel="Merge"
        color="blue"
        busy={edit.isPending}
        onClose={closeDialog}
        onConfirm={() => {
          if (dialog?.kind === "merge")
            apply({ op: "merge", label: dialog.p.label }, `${dialog.p.label} merged`);
        }}
      >
        <Text size="sm">
          {paragraphs
            ? "Its text joins the provision before it, and the numbers after it move down by one."
            : "Its caption and text join the node before it; the nodes under it go under that node. No other label changes."}
        </Text>
        {edit.error ? <EditProblem error={edit.error} /> : null}
      </ConfirmModal>
    </>
  );
}

/** Marks a node a heading only, or a heading a provision: at once, said in a notification. */
export function useToggleHeading(parse: DecreeParse) {
  const edit = useEditParse();
  return {
    busy: edit.isPending,
    toggle: (p: ParsedProvision) =>
      edit.mutate(
        {
          id: parse.id,
          version: parse.version,
          edit: { op: "heading", label: p.label, heading: !p.heading },
        },
        {
          onSuccess: () =>
            notifications.show({
              color: "teal",
              title: "Draft corrected",
              message: p.heading ? `${p.label} is a provision now` : `${p.label} is a heading now`,
            }),
          onError: (error) =>
            notifications.show({
              color: "red",
              title: `${p.label} not changed`,
              message: errorMessage(error),
            }),
        },
      ),
  };
}

/** A correction refused: a stale draft says so plainly (the draft is reloaded). */
function EditProblem({ error }: { error: unknown }) {
  if (isApiError(error) && (error.status === 412 || error.status === 409))
    return (
      <ProblemAlert
        error={error}
        title={
          error.status === 412 ? "This draft was corrected in another tab or by another user" : undefined
        }
      />
    );
  return <ProblemAlert error={error} title="Not corrected" />;
}

/** Split a provision where the cursor is put in its text; the new node gets the label typed. */
function SplitModal({
  parse,
  p,
  newLabelNeeded,
  busy,
  error,
  onClose,
  onSplit,
}: {
  parse: DecreeParse;
  p: ParsedProvision | null;
  /** An outline draft: the new node's label is typed (a ¶ draft numbers it). */
  newLabelNeeded: boolean;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onSplit: (p: ParsedProvision, at: number, newLabel: string) => void;
}) {
  const [cursor, setCursor] = useState(0);
  const [words, setWords] = useState("");
  const [newLabel, setNewLabel] = useState("");
  const clash = labelProblem(parse, newLabel);
  const text = p?.text ?? "";
  // The words typed win over the cursor: the first place they start after the beginning.
  const found = words.trim() ? text.indexOf(words.trim(), 1) : -1;
  const at = words.trim() ? found : cursor;
  const cut = at > 0 && at < text.length && text.slice(at).trim() !== "" && text.slice(0, at).trim() !== "";
  const valid = cut && !clash && (!newLabelNeeded || newLabel.trim() !== "");
  const named = newLabel.trim() ? normalizeLabel(newLabel) : `¶ ${(p?.number ?? 0) + 1}`;
  const track = (el: HTMLTextAreaElement) => setCursor(el.selectionStart);
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Split ${p.label}` : "Split"} size="lg">
      {p ? (
        <Stack gap="sm">
          <Text size="sm">
            Put the cursor where the next provision starts (click, or move with the arrow keys), or type the
            words it starts with.{" "}
            {newLabelNeeded
              ? "Then give the new node's label as the agreement cites it: it follows this node, at its level."
              : "The numbers after it move up by one (or give the new provision a label of its own)."}
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
          <TextInput
            label="Label of the new node"
            maxLength={EDIT_LIMITS.newLabel}
            description={newLabelNeeded ? "Unique in the draft, e.g. the next letter or number" : undefined}
            placeholder={newLabelNeeded ? "e.g. III.A.2" : `¶ ${p.number + 1}`}
            required={newLabelNeeded}
            value={newLabel}
            onChange={(e) => setNewLabel(e.currentTarget.value)}
            error={clash}
          />
          <Text size="sm" c={cut ? undefined : "dimmed"} aria-live="polite">
            {cut ? `${named} would start: “${firstWords(text.slice(at), 90)}”` : "No split point chosen yet."}
          </Text>
          {error ? <EditProblem error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button disabled={!valid} loading={busy} onClick={() => onSplit(p, at, newLabel.trim())}>
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
  withCaption,
  busy,
  error,
  onClose,
  onSave,
}: {
  p: ParsedProvision | null;
  /** An outline node: its caption can be corrected too. */
  withCaption: boolean;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onSave: (p: ParsedProvision, change: { text?: string; caption?: string | null }) => void;
}) {
  const [text, setText] = useState(p?.text ?? "");
  const [caption, setCaption] = useState(p?.caption ?? "");
  const textChanged = p !== null && text !== p.text;
  const captionChanged = p !== null && withCaption && caption.trim() !== (p.caption ?? "");
  const empty = text.trim() === "" && !(p?.heading && caption.trim());
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Edit ${p.label}` : "Edit"} size="lg">
      {p ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (empty || !(textChanged || captionChanged)) return;
            onSave(p, {
              ...(textChanged ? { text } : {}),
              ...(captionChanged ? { caption: caption.trim() || null } : {}),
            });
          }}
        >
          <Stack gap="sm">
            {withCaption ? (
              <TextInput
                label="Caption"
                maxLength={EDIT_LIMITS.caption}
                description="The node's title, when it has one (a heading has only this)"
                value={caption}
                onChange={(e) => setCaption(e.currentTarget.value)}
              />
            ) : null}
            <Textarea
              label="Text"
              maxLength={EDIT_LIMITS.text}
              description={p.heading ? "A heading has no text: text given makes it a provision" : undefined}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={p.heading ? 2 : 6}
              maxRows={18}
              data-autofocus
              error={
                empty && textChanged ? "A provision needs text: merge it into the node before instead" : null
              }
            />
            {error ? <EditProblem error={error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" disabled={empty || !(textChanged || captionChanged)} loading={busy}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

/** Give a node the label the agreement cites it by. */
function RelabelModal({
  parse,
  p,
  busy,
  error,
  onClose,
  onRelabel,
}: {
  parse: DecreeParse;
  p: ParsedProvision | null;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onRelabel: (p: ParsedProvision, to: string) => void;
}) {
  const [to, setTo] = useState(p?.label ?? "");
  const clash = p ? labelProblem(parse, to, p.label) : null;
  const valid = p !== null && to.trim() !== "" && normalizeLabel(to) !== p.label && !clash;
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Relabel ${p.label}` : "Relabel"}>
      {p ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) onRelabel(p, to);
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="New label"
              maxLength={EDIT_LIMITS.to}
              description="As the agreement cites it (e.g. III.A.1 or ¶ 12(a)); no other label changes"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={clash}
              data-autofocus
            />
            {error ? <EditProblem error={error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" disabled={!valid} loading={busy}>
                Relabel
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

/** Put a node (and the nodes under it) under another parent, where it stands in the document. */
function MoveModal({
  parse,
  p,
  busy,
  error,
  onClose,
  onMove,
}: {
  parse: DecreeParse;
  p: ParsedProvision | null;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onMove: (p: ParsedProvision, parent: string | null) => void;
}) {
  // No label is empty: the empty value is the top level.
  const TOP = "";
  const i = p ? parse.provisions.findIndex((q) => q.label === p.label) : -1;
  const candidates = i >= 0 ? possibleParents(parse.provisions, i) : [];
  const current = p?.parentLabel ?? TOP;
  const [choice, setChoice] = useState<string>(current);
  const byLabel = new Map(parse.provisions.map((q) => [q.label, q]));
  return (
    <Modal opened={p !== null} onClose={onClose} title={p ? `Move ${p.label}` : "Move"}>
      {p ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (choice !== current) onMove(p, choice === TOP ? null : choice);
          }}
        >
          <Stack gap="sm">
            <Radio.Group
              label="Put it under"
              description="It keeps its place in the document, so it can go under the node just before it or one of that node's parents. The nodes under it move with it."
              value={choice}
              onChange={setChoice}
            >
              <Stack gap={6} mt="xs">
                {candidates.map((label) => {
                  const q = byLabel.get(label);
                  return (
                    <Radio
                      key={label}
                      value={label}
                      label={`${label}${q?.caption ? `. ${q.caption}` : q?.text ? ` — ${firstWords(q.text, 60)}` : ""}${label === p.parentLabel ? " (now)" : ""}`}
                    />
                  );
                })}
                <Radio value={TOP} label={`The top level${current === TOP ? " (now)" : ""}`} />
              </Stack>
            </Radio.Group>
            {error ? <EditProblem error={error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" disabled={choice === current} loading={busy}>
                Move
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
