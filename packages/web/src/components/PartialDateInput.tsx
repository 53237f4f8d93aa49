import { formatPartialDate, isValidPartialDate } from "@accord/domain";
import { TextInput, type TextInputProps } from "@mantine/core";
import { PARTIAL_DATE_HINT } from "../lib/forms";

/**
 * A date as precise as the source: 2015, 2015-05 or 2015-05-12. The hint under the box reads
 * the value back ("May 2015") so the precision is visible.
 */
export function PartialDateInput(props: TextInputProps & { value?: string }) {
  const value = typeof props.value === "string" ? props.value.trim() : "";
  const reading =
    value && isValidPartialDate(value) ? `Reads: ${formatPartialDate(value)}` : PARTIAL_DATE_HINT;
  return (
    <TextInput
      placeholder="YYYY-MM-DD"
      inputMode="numeric"
      autoComplete="off"
      maxLength={10}
      description={reading}
      {...props}
    />
  );
}
