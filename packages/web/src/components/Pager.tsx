import { Group, Pagination, Select, Text } from "@mantine/core";

export const PAGE_SIZES = [25, 50, 100] as const;

/**
 * Server paging: the range shown, the page links and the page size, all kept in the URL. With
 * `capped`, more than `total` match (the server stopped counting): the range says so, and the
 * page after the last counted one is offered.
 */
export function Pager({
  total,
  capped = false,
  limit,
  offset,
  onChange,
  noun = "rows",
}: {
  total: number;
  capped?: boolean;
  limit: number;
  offset: number;
  onChange: (patch: { offset?: number; limit?: number }) => void;
  noun?: string;
}) {
  const pages = Math.max(1, Math.ceil((capped ? total + 1 : total) / limit));
  const page = Math.floor(offset / limit) + 1;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(total, offset + limit);
  return (
    <Group justify="space-between" wrap="wrap" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0
          ? `No ${noun}`
          : `${first}–${last} of ${capped ? "more than " : ""}${total.toLocaleString("en-US")} ${noun}`}
      </Text>
      <Group gap="sm">
        <Pagination
          size="sm"
          total={pages}
          value={page}
          onChange={(p) => onChange({ offset: (p - 1) * limit })}
          getControlProps={(control) =>
            control === "previous"
              ? { "aria-label": "Previous page" }
              : control === "next"
                ? { "aria-label": "Next page" }
                : {}
          }
          getItemProps={(p) => ({ "aria-label": `Page ${p}` })}
        />
        <Select
          size="xs"
          w={110}
          aria-label="Rows per page"
          data={PAGE_SIZES.map((n) => ({ value: String(n), label: `${n} / page` }))}
          value={String(limit)}
          onChange={(v) => v && onChange({ limit: Number(v), offset: 0 })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
    </Group>
  );
}
