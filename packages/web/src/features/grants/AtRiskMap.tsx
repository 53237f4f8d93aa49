import type { AtRiskRow } from "@accord/domain";
import { Group, Stack, Text } from "@mantine/core";
import { formatDollars } from "../../lib/money";
import { BORDERS, FIPS_TO_CODE, HEIGHT, SHAPES, WIDTH } from "../../lib/us-shapes";
import { stateName } from "../../lib/us-states";

/** Shades by how many places of a state have money at risk: none, one, two or three, four or more. */
const SHADES = [
  { label: "None", fill: "var(--mantine-color-gray-2)", min: 0 },
  { label: "1 place", fill: "var(--mantine-color-orange-3)", min: 1 },
  { label: "2–3 places", fill: "var(--mantine-color-orange-5)", min: 2 },
  { label: "4 or more", fill: "var(--mantine-color-orange-8)", min: 4 },
] as const;

const shadeOf = (n: number) => [...SHADES].reverse().find((s) => n >= s.min) ?? SHADES[0];

/**
 * The states with places whose money is at risk, shaded by how many. Each state names its places
 * and the amount at stake in its title; the table beside it holds the same rows for reading.
 */
export function AtRiskMap({ rows }: { rows: readonly AtRiskRow[] }) {
  const byState = new Map<string, { names: string[]; atStake: number }>();
  for (const r of rows) {
    const s = byState.get(r.jurisdiction.stateCode) ?? { names: [], atStake: 0 };
    s.names.push(r.jurisdiction.name);
    s.atStake += r.atStake;
    byState.set(r.jurisdiction.stateCode, s);
  }
  return (
    <Stack gap="xs">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ display: "block", maxHeight: 360 }}
        role="img"
        aria-label={`Map of the ${byState.size} states with places whose money is at risk`}
      >
        {SHAPES.map((shape) => {
          const code = FIPS_TO_CODE.get(shape.fips) ?? "";
          const s = byState.get(code);
          const n = s?.names.length ?? 0;
          return (
            <path key={shape.fips} d={shape.d} fill={shadeOf(n).fill}>
              <title>
                {n
                  ? `${stateName(code)}: ${s!.names.join(", ")}${s!.atStake ? ` (${formatDollars(s!.atStake)} at stake)` : ""}`
                  : `${stateName(code)}: no place at risk`}
              </title>
            </path>
          );
        })}
        <path d={BORDERS} fill="none" stroke="var(--mantine-color-body)" strokeWidth={0.8} />
      </svg>
      <Group gap="md" justify="center" aria-hidden>
        {SHADES.map((s) => (
          <Group key={s.label} gap={6}>
            <span
              style={{ width: 14, height: 14, borderRadius: 3, background: s.fill, display: "inline-block" }}
            />
            <Text size="xs">{s.label}</Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
