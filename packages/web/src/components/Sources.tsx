import type { Source } from "@accord/domain";
import { ActionIcon, Anchor, Button, Fieldset, Group, List, Stack, Text, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import type { SourceValues } from "../lib/forms";
import { webHref } from "../lib/links";
import { IconExternal, IconPlus, IconTrash } from "./icons";

/** Where the facts come from: citations, with links that open outside the app. */
export function SourcesList({ sources, size = "sm" }: { sources: readonly Source[]; size?: "xs" | "sm" }) {
  if (sources.length === 0) {
    return (
      <Text size={size} c="dimmed">
        No sources recorded.
      </Text>
    );
  }
  return (
    <List size={size} spacing={size === "xs" ? 0 : 4}>
      {sources.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: sources have no id and keep their order
        <List.Item key={i}>
          {webHref(s.url) ? (
            <Anchor href={webHref(s.url)} target="_blank" rel="noopener noreferrer" size={size}>
              {s.citation} <IconExternal size={12} />
            </Anchor>
          ) : (
            s.citation
          )}
          {s.note ? (
            <Text span size="xs" c="dimmed">
              {" "}
              — {s.note}
            </Text>
          ) : null}
        </List.Item>
      ))}
    </List>
  );
}

// biome-ignore lint/suspicious/noExplicitAny: shared by several forms with different values
type FormWithSources = UseFormReturnType<any>;

/** The editable list of sources inside a form; field paths are `sources.N.citation` etc. */
export function SourcesEditor({ form }: { form: FormWithSources }) {
  const sources = (form.getValues().sources ?? []) as SourceValues[];
  return (
    <Fieldset legend="Sources" variant="filled">
      <Stack gap="sm">
        {sources.length === 0 ? (
          <Text size="sm" c="dimmed">
            No sources yet. Every fact should carry one.
          </Text>
        ) : null}
        {sources.map((_, i) => (
          <Group key={form.key(`sources.${i}`)} align="flex-start" gap="xs" wrap="nowrap">
            <TextInput
              label={`Citation ${i + 1}`}
              withAsterisk
              style={{ flex: 2 }}
              {...form.getInputProps(`sources.${i}.citation`)}
              key={form.key(`sources.${i}.citation`)}
            />
            <TextInput
              label="Address (URL)"
              placeholder="https://"
              style={{ flex: 2 }}
              {...form.getInputProps(`sources.${i}.url`)}
              key={form.key(`sources.${i}.url`)}
            />
            <TextInput
              label="Note"
              style={{ flex: 1 }}
              {...form.getInputProps(`sources.${i}.note`)}
              key={form.key(`sources.${i}.note`)}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={`Remove source ${i + 1}`}
              onClick={() => form.removeListItem("sources", i)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => form.insertListItem("sources", { citation: "", url: "", note: "" })}
          >
            Add source
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
