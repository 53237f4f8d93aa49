import type { Provision, Topic } from "@accord/domain";
import { Alert, Badge, Button, Group, MultiSelect, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useCorrectTopics } from "../../api/provisions";
import { useCan } from "../../api/session";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TOPIC_OPTION_GROUPS } from "../../lib/topics";
import { Section } from "./ProvisionSection";
import { isTopic } from "./shared";

/** The words that decided a topic: "taser ×3, force ×2". */
function Because({ because }: { because: Provision["topics"][number]["because"] }) {
  if (because.length === 0)
    return (
      <Text size="xs" c="dimmed">
        Given by a person
      </Text>
    );
  return (
    <Text size="xs" c="dimmed">
      Because of:{" "}
      {because.map((b, i) => (
        <span key={b.word}>
          {i > 0 ? ", " : ""}
          <Text span size="xs" fw={600} c="var(--mantine-color-text)">
            {b.word}
          </Text>
          {b.count > 1 ? ` ×${b.count}` : ""}
        </span>
      ))}
    </Text>
  );
}

/** The topics in force with the words that decided, and a person's correction. */
export function Topics({ p }: { p: Provision }) {
  const canWrite = useCan("registry:write");
  const [editing, setEditing] = useState<Topic[] | null>(null);
  const correct = useCorrectTopics();
  const save = (topics: Topic[] | null) =>
    correct.mutate(
      { id: p.id, version: p.version, topics },
      {
        onSuccess: () => {
          setEditing(null);
          notifications.show({
            color: "teal",
            title: topics ? "Topics corrected" : "Classifier's topics restored",
            message: p.label,
          });
        },
      },
    );
  return (
    <Section
      id="topics-h"
      title="Topics"
      actions={
        canWrite && editing === null ? (
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              correct.reset();
              setEditing(p.topics.map((t) => t.topic));
            }}
          >
            Correct topics
          </Button>
        ) : null
      }
    >
      {editing !== null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save(editing);
          }}
        >
          <Stack gap="xs">
            <MultiSelect
              label="Topics of this provision"
              description="Kept when the decree is parsed again."
              data={TOPIC_OPTION_GROUPS}
              value={editing}
              onChange={(v) => setEditing(v.filter(isTopic))}
              searchable
              clearable
              comboboxProps={{ withinPortal: true }}
              data-autofocus
            />
            {correct.error ? <ProblemAlert error={correct.error} title="Not saved" /> : null}
            <Group justify="flex-end" gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => setEditing(null)}
                disabled={correct.isPending}
              >
                Cancel
              </Button>
              <Button size="xs" type="submit" loading={correct.isPending}>
                Save topics
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          {p.topics.length === 0 ? (
            <Text size="sm" c="dimmed">
              No topic{p.topicsCorrected ? " (a person said so)" : ": the classifier found no words of any"}.
            </Text>
          ) : (
            p.topics.map((t) => (
              <Stack key={t.topic} gap={2}>
                <Group gap={6}>
                  <Badge variant="light" color="indigo" radius="sm" tt="none">
                    {t.label}
                  </Badge>
                  {t.score !== null ? (
                    <Text size="xs" c="dimmed">
                      score {t.score.toFixed(1)}
                    </Text>
                  ) : null}
                </Group>
                <Because because={t.because} />
              </Stack>
            ))
          )}
          {p.topicsCorrected ? (
            <Alert variant="light" color="gray" p="xs">
              <Text size="xs">
                Corrected by a person. The classifier gave:{" "}
                {p.classifierTopics.length ? p.classifierTopics.map((t) => t.label).join(", ") : "no topic"}.
              </Text>
              {canWrite ? (
                <Button
                  size="xs"
                  variant="subtle"
                  mt={4}
                  px={0}
                  loading={correct.isPending}
                  onClick={() => save(null)}
                >
                  Use the classifier's topics
                </Button>
              ) : null}
              {correct.error ? <ProblemAlert error={correct.error} title="Not saved" /> : null}
            </Alert>
          ) : null}
        </Stack>
      )}
    </Section>
  );
}
