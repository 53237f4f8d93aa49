import { SegmentedControl } from "@mantine/core";
import { type CSSProperties, useState } from "react";

export type ChartOrTable = "chart" | "table";

/** Whether a chart shows as the chart or as its table view (the same numbers, for screen readers and copying). */
export const useChartOrTable = () => useState<ChartOrTable>("chart");

/** The switch between a chart and its table view. */
export function ChartTableToggle({
  label,
  value,
  onChange,
  style,
}: {
  /** The switch's accessible name: "Show the trajectory as". */
  label: string;
  value: ChartOrTable;
  onChange: (next: ChartOrTable) => void;
  style?: CSSProperties;
}) {
  return (
    <SegmentedControl
      size="xs"
      aria-label={label}
      value={value}
      onChange={(v) => onChange(v as ChartOrTable)}
      data={[
        { value: "chart", label: "Chart" },
        { value: "table", label: "Table view" },
      ]}
      style={style}
    />
  );
}
