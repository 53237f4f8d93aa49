import {
  MultiSelect,
  type MultiSelectProps,
  Select,
  type SelectProps,
  type TextInputProps,
} from "@mantine/core";
import { isAsOfDay } from "../lib/as-of";
import { useMirror, useUrlList, useUrlState } from "../lib/url-state";
import { STATE_OPTIONS } from "../lib/us-states";
import { DateField, type DateFieldProps } from "./DateField";
import { DebouncedSearch } from "./DebouncedSearch";

/** A list's text search, kept in the URL as `q`; typing replaces the history entry. */
export function SearchFilter(props: Omit<TextInputProps, "value" | "onChange">) {
  const { params, update } = useUrlState();
  return (
    <DebouncedSearch
      value={params.get("q") ?? ""}
      onCommit={(q) => update({ q }, { replace: true })}
      {...props}
    />
  );
}

/** A choice of several values kept in the URL as a list, e.g. `?kind=a,b`. */
export function ListFilter({
  param,
  ...props
}: { param: string } & Omit<MultiSelectProps, "value" | "onChange">) {
  const [value, setValue] = useUrlList(param);
  return <MultiSelect value={value} onChange={setValue} {...props} />;
}

/** The states a list is limited to, kept in the URL as `state`. */
export function StateFilter(props: Omit<MultiSelectProps, "value" | "onChange" | "data">) {
  return (
    <ListFilter
      param="state"
      label="State"
      placeholder="Any state"
      data={STATE_OPTIONS}
      searchable
      clearable
      {...props}
    />
  );
}

/** One value chosen from a list, kept in the URL as `param`. */
export function UrlSelect({ param, ...props }: { param: string } & Omit<SelectProps, "value" | "onChange">) {
  const { params, update } = useUrlState();
  const [value, setValue] = useMirror(params.get(param));
  return (
    <Select
      value={value}
      onChange={(v) => {
        setValue(v);
        update({ [param]: v });
      }}
      {...props}
    />
  );
}

/** A calendar day kept in the URL as `param` (YYYY-MM-DD), with the app's date field. */
export function UrlDate({ param, ...props }: { param: string } & Omit<DateFieldProps, "value" | "onChange">) {
  const { params, update } = useUrlState();
  const [value, setValue] = useMirror(params.get(param) ?? "");
  return (
    <DateField
      placeholder="Any day"
      value={value}
      onChange={(v) => {
        setValue(v);
        if (v === "" || isAsOfDay(v)) update({ [param]: v || null });
      }}
      {...props}
    />
  );
}
