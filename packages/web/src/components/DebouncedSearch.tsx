import { TextInput, type TextInputProps } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { IconSearch } from "./icons";

/** A search box that writes to the URL once typing pauses (or at once on Enter). */
export function DebouncedSearch({
  value,
  onCommit,
  ...rest
}: { value: string; onCommit: (v: string) => void } & Omit<TextInputProps, "value" | "onChange">) {
  const [local, setLocal] = useState(value);
  useEffect(() => setLocal(value), [value]);
  const commit = useDebouncedCallback(onCommit, 350);
  return (
    <TextInput
      type="search"
      leftSection={<IconSearch size={14} />}
      value={local}
      onChange={(e) => {
        setLocal(e.currentTarget.value);
        commit(e.currentTarget.value.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          onCommit(local.trim());
        }
      }}
      {...rest}
    />
  );
}
