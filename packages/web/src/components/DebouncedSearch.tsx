import { MatterListQuerySchema } from "@accord/domain";
import { TextInput, type TextInputProps } from "@mantine/core";
import { maxLengths } from "../lib/forms";
import { useDraft } from "../lib/use-draft";
import { IconSearch } from "./icons";

/** A search box that writes to the URL once typing pauses (or at once on Enter). */
const LIST_QUERY_LIMIT = maxLengths(MatterListQuerySchema).q;

export function DebouncedSearch({
  value,
  onCommit,
  ...rest
}: { value: string; onCommit: (v: string) => void } & Omit<TextInputProps, "value" | "onChange">) {
  const [local, change] = useDraft(value, (v) => onCommit(v.trim()), 350);
  return (
    <TextInput
      type="search"
      // The lists' `q` takes up to 200 characters (MatterListQuerySchema and the others).
      maxLength={LIST_QUERY_LIMIT}
      leftSection={<IconSearch size={14} />}
      value={local}
      onChange={(e) => change(e.currentTarget.value)}
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
