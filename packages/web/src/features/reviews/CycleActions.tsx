import {
  CopyCycleSchema,
  type Cycle,
  type CycleListItem,
  MATTER_KIND_LABELS,
  MATTER_STATUS_LABELS,
} from "@accord/domain";
import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useNavigate } from "react-router";
import { isApiError } from "../../api/client";
import { useCopyCycle, useScopeCount, useStartCycle } from "../../api/reviews";
import { useCan } from "../../api/session";
import { ConfirmModal } from "../../components/ConfirmModal";
import { FormProblems } from "../../components/FormProblems";
import { IconCopy } from "../../components/icons";
import { ProblemAlert } from "../../components/ProblemAlert";
import { focusFirstError, limitedInputs, serverErrors, slugify } from "../../lib/forms";
import { plural } from "./review-labels";

/** The scope in words: "Consent decree; active or partially terminated". */
export function scopeText(scope: Cycle["scope"]): string {
  const kinds = scope.kinds.length ? scope.kinds.map((k) => MATTER_KIND_LABELS[k]).join(", ") : "Every kind";
  const statuses = scope.statuses.length
    ? scope.statuses.map((s) => MATTER_STATUS_LABELS[s].toLowerCase()).join(", ")
    : "any status";
  return `${kinds} · ${statuses}`;
}

/**
 * Start a cycle in preparation, after a confirmation that says how many reviews it will create
 * (one per matter in its scope, counted from the matters list).
 */
export function StartCycleButton({
  cycle,
  size = "sm",
}: {
  cycle: Pick<CycleListItem, "slug" | "name" | "scope" | "status" | "version" | "asOf">;
  size?: "xs" | "sm";
}) {
  const canManage = useCan("cycles:manage");
  const [opened, { open, close }] = useDisclosure(false);
  const count = useScopeCount(cycle.scope, opened, cycle.asOf);
  const start = useStartCycle();
  if (!canManage || cycle.status !== "draft") return null;
  const n = count.data;
  return (
    <>
      <Button size={size} onClick={open} aria-label={`Start ${cycle.name}`}>
        Start…
      </Button>
      <ConfirmModal
        opened={opened}
        title="Start this cycle?"
        confirmLabel={n === undefined ? "Start cycle" : `Start: create ${plural(n, "review")}`}
        color="indigo"
        busy={start.isPending}
        onClose={() => {
          start.reset();
          close();
        }}
        onConfirm={() =>
          start.mutate(
            { key: cycle.slug, version: cycle.version },
            {
              onSuccess: (started) => {
                close();
                notifications.show({
                  color: "teal",
                  title: "Cycle started",
                  message: `${started.name}: ${plural(
                    Object.values(started.counts).reduce((a, b) => a + (b ?? 0), 0),
                    "review",
                  )} created.`,
                });
              },
            },
          )
        }
      >
        <Text size="sm">
          {count.isPending
            ? "Counting the matters in scope…"
            : count.error
              ? "The matters in scope could not be counted."
              : `It will create ${plural(n ?? 0, "review")}, one for each matter in scope (${scopeText(cycle.scope)}).`}
        </Text>
        <Text size="sm">
          Once started, its criteria, rating scale and scope can no longer change; its name, mandate and due
          date still can. Reviews are then assigned to reviewers from the cycle's board.
        </Text>
        {start.error ? <ProblemAlert error={start.error} title="Not started" /> : null}
      </ConfirmModal>
    </>
  );
}

const COPY_FIELDS = ["name", "slug"];

/** Copy a cycle's mandate, scope, scale and criteria into a new one in preparation. */
export function CopyCycleButton({
  cycle,
  size = "sm",
}: {
  cycle: Pick<CycleListItem, "slug" | "name">;
  size?: "xs" | "sm";
}) {
  const canManage = useCan("cycles:manage");
  const [opened, { open, close }] = useDisclosure(false);
  const copy = useCopyCycle();
  const navigate = useNavigate();
  const [slugTouched, setSlugTouched] = useState(false);
  const [other, setOther] = useState<string[]>([]);
  const form = useForm({
    mode: "controlled",
    initialValues: { name: `${cycle.name} (copy)`, slug: `${cycle.slug}-copy` },
    validate: {
      name: (v) => (v.trim() ? null : "Give the new cycle a name"),
      slug: (v) => (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(v) ? null : "Lowercase words and hyphens"),
    },
    enhanceGetInputProps: limitedInputs(CopyCycleSchema),
  });
  if (!canManage) return null;
  const submit = form.onSubmit(
    (v) => {
      setOther([]);
      copy.mutate(
        { key: cycle.slug, name: v.name.trim(), slug: v.slug },
        {
          onSuccess: (created) => {
            close();
            notifications.show({ color: "teal", title: "Cycle copied", message: created.name });
            navigate(`/reviews/${created.slug}`);
          },
          onError: (error) => {
            const { fields, other: rest } = serverErrors(
              isApiError(error) ? error.problem : null,
              COPY_FIELDS,
            );
            form.setErrors(fields);
            setOther(rest);
            focusFirstError(fields, COPY_FIELDS);
          },
        },
      );
    },
    (errors) => focusFirstError(errors, COPY_FIELDS),
  );
  const nameProps = form.getInputProps("name");
  return (
    <>
      <Button
        size={size}
        variant="default"
        leftSection={<IconCopy size={14} />}
        onClick={open}
        aria-label={`Copy ${cycle.name}`}
      >
        Copy
      </Button>
      <Modal opened={opened} onClose={close} title="Copy this cycle" centered>
        <form onSubmit={submit} noValidate aria-label="Copy cycle">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              The new cycle starts in preparation with this one's mandate, scope, rating scale and criteria,
              and no due date.
            </Text>
            <FormProblems
              problem={copy.error && isApiError(copy.error) ? copy.error.problem : null}
              other={other}
            />
            <TextInput
              label="Name"
              withAsterisk
              data-autofocus
              {...nameProps}
              onChange={(e) => {
                nameProps.onChange(e);
                if (!slugTouched) form.setFieldValue("slug", slugify(e.currentTarget.value));
              }}
            />
            <TextInput
              label="Slug"
              description="The cycle's address: lowercase words and hyphens"
              withAsterisk
              {...form.getInputProps("slug")}
              onFocus={() => setSlugTouched(true)}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={copy.isPending}>
                Copy cycle
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
