import type { SavedCalendarFilter, SavedSearchFilters } from "@accord/domain";
import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { useCreateSavedSearch } from "../../api/saved-searches";
import { ProblemAlert } from "../../components/ProblemAlert";

type Props =
  | { kind: "search"; query: SavedSearchFilters; suggestedName: string }
  | { kind: "calendar"; query: SavedCalendarFilter; suggestedName: string };

/**
 * "Save this search" / "Save filter": keeps what the page shows under a name, to run again from
 * Settings, to watch (a search) or to follow as a calendar feed (a calendar filter).
 */
export function SaveSearchButton(props: Props) {
  const create = useCreateSavedSearch();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const what = props.kind === "search" ? "search" : "filter";

  const start = () => {
    setName(props.suggestedName.slice(0, 100));
    setError(null);
    create.reset();
    setOpen(true);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) {
      setError(`Name the ${what}`);
      return;
    }
    const body =
      props.kind === "search"
        ? { kind: "search" as const, name: n, query: props.query }
        : { kind: "calendar" as const, name: n, query: props.query };
    create.mutate(body, {
      onSuccess: (saved) => {
        setOpen(false);
        notifications.show({
          color: "teal",
          title: props.kind === "search" ? "Search saved" : "Filter saved",
          message: `${saved.name}: find it under Settings, Saved searches and filters`,
        });
      },
    });
  };

  return (
    <>
      <Button variant="default" size={props.kind === "search" ? "md" : "sm"} onClick={start}>
        {props.kind === "search" ? "Save this search" : "Save filter"}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={props.kind === "search" ? "Save this search" : "Save this calendar filter"}
        centered
      >
        <form
          onSubmit={submit}
          noValidate
          aria-label={props.kind === "search" ? "Save search" : "Save filter"}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {props.kind === "search"
                ? "The words and the filters are kept. Watch it from Settings to be told of new events and documents that match."
                : "The matter, state, kind and “mine” filters are kept (not the dates). Follow it as a calendar feed from Settings."}
            </Text>
            <TextInput
              label="Name"
              value={name}
              error={error}
              maxLength={100}
              data-autofocus
              onChange={(e) => setName(e.currentTarget.value)}
            />
            {create.error ? <ProblemAlert error={create.error} title={`The ${what} was not saved`} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
