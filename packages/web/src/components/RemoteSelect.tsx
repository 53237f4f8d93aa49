import { Loader, Select, type SelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

export interface RemoteOption {
  value: string;
  label: string;
}

/**
 * A searchable select whose options come from the server as the person types. The chosen
 * option is kept, so its label shows even when the current search does not return it.
 */
export function RemoteSelect({
  queryKey,
  fetchOptions,
  value,
  onChange,
  selected,
  ...rest
}: {
  queryKey: string;
  fetchOptions: (q: string) => Promise<RemoteOption[]>;
  value: string | null;
  onChange: (value: string | null, option: RemoteOption | null) => void;
  /** The label of the current value, when it is known from the record being edited. */
  selected?: RemoteOption | null;
} & Omit<SelectProps, "data" | "value" | "onChange" | "searchValue" | "onSearchChange">) {
  const [search, setSearch] = useState("");
  const [picked, setPicked] = useState<RemoteOption | null>(selected ?? null);
  const [debounced] = useDebouncedValue(search, 250);
  const current = picked && picked.value === value ? picked : (selected ?? null);
  // While the box shows the chosen label, list everything rather than just that name.
  const q = current && debounced === current.label ? "" : debounced;
  const { data, isFetching } = useQuery({
    queryKey: ["options", queryKey, q],
    queryFn: () => fetchOptions(q),
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const list = [...(data ?? [])];
    if (current && !list.some((o) => o.value === current.value)) list.unshift(current);
    return list;
  }, [data, current]);
  return (
    <Select
      searchable
      clearable
      data={options}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={isFetching ? "Searching…" : "Nothing found"}
      rightSection={isFetching ? <Loader size={14} /> : undefined}
      onChange={(v) => {
        const option = options.find((o) => o.value === v) ?? null;
        setPicked(option);
        onChange(v, option);
      }}
      {...rest}
    />
  );
}
