import { Table, UnstyledButton } from "@mantine/core";
import type { ReactNode } from "react";
import { useUrlState } from "../lib/url-state";
import { IconChevronDown, IconChevronUp, IconSelector } from "./icons";

/**
 * A column header that sorts the list on the server. `sort` is the URL's value ("-openedOn");
 * clicking cycles ascending → descending, and writes the new order to the URL.
 */
export function SortableTh({
  field,
  sort,
  children,
  defaultDescending = false,
  w,
}: {
  field: string;
  sort: string | null;
  children: ReactNode;
  /** Dates read best newest first. */
  defaultDescending?: boolean;
  w?: number | string;
}) {
  const { update } = useUrlState();
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const ariaSort = active ? (descending ? "descending" : "ascending") : "none";
  const next = active ? (descending ? field : `-${field}`) : defaultDescending ? `-${field}` : field;
  const Icon = active ? (descending ? IconChevronDown : IconChevronUp) : IconSelector;
  return (
    <Table.Th aria-sort={ariaSort} w={w} p={0}>
      <UnstyledButton
        onClick={() => update({ sort: next })}
        px="xs"
        py={6}
        w="100%"
        style={{ display: "flex", alignItems: "center", gap: 4, fontWeight: 600, fontSize: "inherit" }}
      >
        <span>{children}</span>
        <Icon size={14} style={{ opacity: active ? 1 : 0.4, flexShrink: 0 }} />
      </UnstyledButton>
    </Table.Th>
  );
}
