import { DEADLINE_STATE_LABELS, type DeadlineOccurrence } from "@accord/domain";
import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { type DeadlineVerb, useDeadlineAction } from "../../api/calendar";
import { useMatterDocuments } from "../../api/documents";
import { useCan, useCurrentUser } from "../../api/session";
import { DateField } from "../../components/DateField";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDay, todayIso } from "../provisions/shared";

const TITLES: Record<DeadlineVerb, string> = {
  met: "Mark met",
  waive: "Waive",
  extend: "Extend by an order",
  assign: "Assign",
  reopen: "Reopen",
};

/** What became of an occurrence, in a line: met (when, with what), waived, extended, who answers. */
export function DeadlineStatusLine({ d }: { d: DeadlineOccurrence }) {
  const s = d.status;
  const parts: string[] = [];
  if (s.state === "met" && s.metOn) {
    const ev = s.evidence[0];
    parts.push(
      `Met on ${formatDay(s.metOn)}${ev ? ` — ${ev.title ?? "a document"}${ev.page ? `, p. ${ev.page}` : ""}` : ""}`,
    );
  }
  if (s.state === "waived") parts.push(`Waived${s.note ? `: ${s.note}` : ""}`);
  if (s.extendedTo && d.dueOn)
    parts.push(
      `Extended from ${formatDay(d.dueOn)}${s.extendedBy?.title ? ` by ${s.extendedBy.title}` : ""}`,
    );
  const who = [s.assignee ? (s.assignee.displayName ?? s.assignee.username) : null, s.office].filter(Boolean);
  if (who.length) parts.push(`Assigned to ${who.join(", ")}`);
  if (!parts.length) return null;
  return (
    <Text size="xs" c="dimmed">
      {parts.join(" · ")}
    </Text>
  );
}

/** The occurrence's state as a badge: overdue (the one definition), met, waived, open. */
export function DeadlineStateBadge({ d }: { d: Pick<DeadlineOccurrence, "overdue" | "status"> }) {
  if (d.overdue)
    return (
      <Badge color="red" variant="filled" size="sm" tt="none">
        Overdue
      </Badge>
    );
  const state = d.status.state;
  return (
    <Badge
      color={state === "met" ? "teal" : state === "waived" ? "gray" : "blue"}
      variant="light"
      size="sm"
      tt="none"
    >
      {DEADLINE_STATE_LABELS[state]}
    </Badge>
  );
}

function ActionForm({ verb, d, onDone }: { verb: DeadlineVerb; d: DeadlineOccurrence; onDone: () => void }) {
  const action = useDeadlineAction();
  const me = useCurrentUser();
  const docs = useMatterDocuments(verb === "met" || verb === "extend" ? d.matter.slug : undefined);
  const [metOn, setMetOn] = useState(todayIso() < (d.dueOn ?? "") ? todayIso() : (d.dueOn ?? todayIso()));
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [page, setPage] = useState<number | string>("");
  const [note, setNote] = useState(d.status.note ?? "");
  const [extendedTo, setExtendedTo] = useState("");
  const [office, setOffice] = useState(d.status.office ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const docOptions = (docs.data?.items ?? []).map((x) => ({ value: x.id, label: x.title }));
  /** A field's setter that also takes away the field's error: it was about the old value. */
  const edit =
    <T,>(key: string, set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setErrors(({ [key]: _gone, ...rest }) => rest);
    };

  const submit = (e: FormEvent, extra: Record<string, unknown> = {}) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    let body: Record<string, unknown> = { dueOn: d.dueOn };
    if (verb === "met") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(metOn)) problems.metOn = "Give the day it was met";
      if (!documentId) problems.documentId = "Choose the document that shows it was met";
      body = {
        ...body,
        metOn,
        evidence: documentId ? [{ documentId, ...(page === "" ? {} : { page: Number(page) }) }] : [],
        ...(note.trim() ? { note: note.trim() } : {}),
      };
    } else if (verb === "waive") {
      if (!note.trim()) problems.note = "Say why it was waived (an order, the parties' agreement)";
      body = { ...body, note: note.trim() };
    } else if (verb === "extend") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(extendedTo)) problems.extendedTo = "Give the new day it is due";
      else if (d.dueOn && extendedTo <= d.dueOn)
        problems.extendedTo = `Give a day after ${formatDay(d.dueOn)}`;
      if (!documentId) problems.documentId = "Choose the order that extended it";
      body = { ...body, extendedTo, documentId, ...(note.trim() ? { note: note.trim() } : {}) };
    } else if (verb === "assign") {
      body = { ...body, office: office.trim() || null, ...extra };
    }
    setErrors(problems);
    if (Object.keys(problems).length) return;
    action.mutate(
      { verb, deadlineId: d.deadlineId, version: d.status.version, body },
      {
        onSuccess: () => {
          notifications.show({
            color: "teal",
            title: `${TITLES[verb]}: done`,
            message: `${d.provision.label} “${d.phrase}”, due ${formatDay(d.dueOn)}`,
          });
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={TITLES[verb]}>
      <Stack gap="sm">
        <Text size="sm">
          <strong>{d.provision.label}</strong> · {d.matter.title} · due {formatDay(d.dueOn)}
        </Text>
        <Text size="sm" fs="italic">
          {d.duty ?? `“${d.phrase}”`}
        </Text>
        {verb === "met" ? (
          <>
            <DateField
              label="Met on"
              withAsterisk
              value={metOn}
              maxDate={todayIso()}
              error={errors.metOn}
              onChange={edit("metOn", setMetOn)}
            />
            <Group align="flex-start" grow>
              <Select
                label="Evidence: document"
                withAsterisk
                placeholder={docs.isPending ? "Loading…" : "Choose a document of the matter"}
                data={docOptions}
                searchable
                value={documentId}
                onChange={edit("documentId", setDocumentId)}
                error={errors.documentId}
                nothingFoundMessage="This matter has no documents"
              />
              <NumberInput label="Page" min={1} max={100000} value={page} onChange={setPage} maw={120} />
            </Group>
          </>
        ) : null}
        {verb === "extend" ? (
          <>
            <DateField
              label="New due date"
              withAsterisk
              value={extendedTo}
              error={errors.extendedTo}
              onChange={edit("extendedTo", setExtendedTo)}
            />
            <Select
              label="The order that extended it"
              withAsterisk
              placeholder="Choose a document of the matter"
              data={docOptions}
              searchable
              value={documentId}
              onChange={edit("documentId", setDocumentId)}
              error={errors.documentId}
            />
          </>
        ) : null}
        {verb === "assign" ? (
          <TextInput
            label="Office"
            description="The office that answers for it (e.g. the city's compliance bureau)"
            maxLength={200}
            value={office}
            onChange={(e) => setOffice(e.currentTarget.value)}
          />
        ) : null}
        {verb === "met" || verb === "waive" || verb === "extend" ? (
          <Textarea
            label={verb === "waive" ? "Why it was waived" : "Note"}
            withAsterisk={verb === "waive"}
            maxLength={2000}
            autosize
            minRows={2}
            value={note}
            error={errors.note}
            onChange={(e) => edit("note", setNote)(e.currentTarget.value)}
          />
        ) : null}
        {action.error ? <ProblemAlert error={action.error} title="Not saved" /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          {verb === "assign" && me ? (
            <Button variant="light" loading={action.isPending} onClick={(e) => submit(e, { userId: me.id })}>
              Assign to me
            </Button>
          ) : null}
          <Button type="submit" loading={action.isPending}>
            {verb === "reopen" ? "Reopen it" : TITLES[verb]}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The actions on one occurrence of a deadline, for those who may manage deadlines: mark met
 * (with evidence), waive, extend by an order, assign, reopen.
 */
export function DeadlineActions({ d }: { d: DeadlineOccurrence }) {
  const canManage = useCan("deadlines:manage");
  const [verb, setVerb] = useState<DeadlineVerb | null>(null);
  if (!canManage || !d.dueOn) return null;
  const open = d.status.state === "open";
  const what = `${d.provision.label} due ${formatDay(d.dueOn)}`;
  return (
    <>
      <Group gap={6} wrap="nowrap">
        {open ? (
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => setVerb("met")}
            aria-label={`Mark met: ${what}`}
          >
            Mark met
          </Button>
        ) : null}
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Anchor component="button" type="button" size="xs" aria-label={`More actions: ${what}`}>
              More…
            </Anchor>
          </Menu.Target>
          <Menu.Dropdown>
            {open ? <Menu.Item onClick={() => setVerb("extend")}>Extend by an order</Menu.Item> : null}
            {open ? <Menu.Item onClick={() => setVerb("waive")}>Waive</Menu.Item> : null}
            <Menu.Item onClick={() => setVerb("assign")}>Assign</Menu.Item>
            {open ? null : <Menu.Item onClick={() => setVerb("reopen")}>Reopen</Menu.Item>}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Modal
        opened={verb !== null}
        onClose={() => setVerb(null)}
        title={verb ? `${TITLES[verb]}: ${d.provision.label}` : ""}
        size="lg"
        centered
      >
        {verb ? <ActionForm verb={verb} d={d} onDone={() => setVerb(null)} /> : null}
      </Modal>
    </>
  );
}
