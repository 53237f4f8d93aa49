import { createTheme, type MantineThemeComponents } from "@mantine/core";

/** Descriptions (format hints) under the box, so fields in one row line up whether or not they have one. */
const hintBelow = { defaultProps: { inputWrapperOrder: ["label", "input", "description", "error"] } };
const inputs: MantineThemeComponents = Object.fromEntries(
  ["TextInput", "Select", "MultiSelect", "NumberInput", "Textarea"].map((name) => [name, hintBelow]),
);

export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "sm",
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
  headings: { fontWeight: "700" },
  components: {
    ...inputs,
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: "xs", fz: "sm" } },
  },
});
