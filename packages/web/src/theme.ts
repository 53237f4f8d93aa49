import {
  type CSSVariablesResolver,
  createTheme,
  DEFAULT_THEME,
  darken,
  luminance,
  type MantineThemeComponents,
} from "@mantine/core";

/** Descriptions (format hints) under the box, so fields in one row line up whether or not they have one. */
const hintBelow = { defaultProps: { inputWrapperOrder: ["label", "input", "description", "error"] } };
const inputs: MantineThemeComponents = Object.fromEntries(
  ["TextInput", "Select", "MultiSelect", "NumberInput", "Textarea"].map((name) => [name, hintBelow]),
);

export const theme = createTheme({
  primaryColor: "indigo",
  // Shade 8 in the light theme: links and filled buttons reach WCAG AA (4.5:1) on white and on
  // the light grey of cards and code; shade 6, Mantine's default, gives 4.3:1 on white.
  primaryShade: { light: 8, dark: 8 },
  // Filled badges and buttons of light colours (yellow, green, teal) get dark text, not white.
  autoContrast: true,
  defaultRadius: "sm",
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
  headings: { fontWeight: "700" },
  components: {
    ...inputs,
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: "xs", fz: "sm" } },
  },
});

/** WCAG's contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` darkened in small steps until it reads at WCAG AA (4.5:1) on every background given. */
function readableOn(color: string, backgrounds: string[]): string {
  let shade = color;
  for (let amount = 0.05; amount < 0.9 && backgrounds.some((b) => contrast(shade, b) < 4.6); amount += 0.05)
    shade = darken(color, amount);
  return shade;
}

const { white, colors } = DEFAULT_THEME;
/** The light fills text sits on in the light theme: cards, striped rows, code, light badges. */
const lightGrays = [white, colors.gray[0], colors.gray[1]];

/**
 * Colours that read at WCAG AA (axe-core's color-contrast) in the light theme, where Mantine's own
 * do not: a light badge's text (shade 9 on shade 1 gives 2.7:1 in yellow, 3.6:1 in orange, 4.3:1
 * in teal) and coloured text (`c="teal"`, shade 8 on white). Each is the palette's own colour,
 * darkened only as far as it takes. The dark theme's pass as they are.
 */
function readableColors(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, shades] of Object.entries(colors)) {
    if (name === "dark") continue;
    vars[`--mantine-color-${name}-light-color`] = readableOn(shades[9], [shades[1], shades[2]]);
    vars[`--mantine-color-${name}-text`] = readableOn(shades[8], lightGrays);
  }
  // Form errors are red text on white too (Mantine's red-6: 3.3:1).
  vars["--mantine-color-error"] = vars["--mantine-color-red-text"] as string;
  return vars;
}

/**
 * Secondary ("dimmed") text that still reads at WCAG AA (4.5:1): Mantine's gray-6 gives 3.3:1 on
 * white and its dark-2 4.0:1 on the dark body. These two hold 4.5:1 on the body, on cards and on
 * the lightest fills (gray-2 / dark-5) as well, so every `c="dimmed"` passes without touching it.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "#646b72", ...readableColors() },
  dark: { "--mantine-color-dimmed": "#ababab" },
});
