import {
  type Dashboard,
  MATTER_STATUS_LABELS,
  mostSignificantGroup,
  STATUS_GROUP_HEX,
  STATUS_GROUP_LABELS,
  STATUS_GROUPS,
  type StatusGroup,
} from "@accord/domain";
import { Box, Button, Group, Paper, Stack, Text, VisuallyHidden } from "@mantine/core";
import { type KeyboardEvent, useEffect, useMemo, useState } from "react";
import { BORDERS, FIPS_TO_CODE, HEIGHT, SHAPES, WIDTH } from "../../lib/us-shapes";
import { stateName } from "../../lib/us-states";

type StateRow = Dashboard["byState"][number];

interface Tip {
  row: StateRow;
  x: number;
  y: number;
  below: boolean;
}

function groupOf(row: StateRow): StatusGroup | null {
  return mostSignificantGroup(row.statuses.filter((s) => s.count > 0).map((s) => s.status));
}

/**
 * A choropleth of the states that have matters, each coloured by its most significant status
 * group. Every coloured state is a link: click or Enter opens its matters.
 */
export default function UsMap({
  byState,
  onSelect,
}: {
  byState: Dashboard["byState"];
  onSelect: (stateCode: string) => void;
}) {
  const [tip, setTip] = useState<Tip | null>(null);
  // A fixed tooltip would stay behind when the page scrolls under it.
  useEffect(() => {
    if (!tip) return;
    const hide = () => setTip(null);
    window.addEventListener("scroll", hide, { passive: true, capture: true });
    return () => window.removeEventListener("scroll", hide, { capture: true });
  }, [tip]);
  const rows = useMemo(() => new Map(byState.map((r) => [r.stateCode as string, r])), [byState]);
  const drawn = new Set(SHAPES.map((s) => FIPS_TO_CODE.get(s.fips)));
  const offMap = byState.filter((r) => r.count > 0 && !drawn.has(r.stateCode));
  const usedGroups = new Set(byState.map(groupOf).filter(Boolean));

  // The tooltip is placed in the viewport (the card clips its overflow): above the state, or
  // below it near the top of the window, and kept inside the window's width.
  const showTip = (row: StateRow, target: Element) => {
    const r = target.getBoundingClientRect();
    const width = 280;
    const x = Math.min(Math.max(8, r.left + r.width / 2 - width / 2), window.innerWidth - width - 8);
    const below = r.top < 200;
    setTip({ row, x, y: below ? r.bottom + 8 : r.top - 8, below });
  };

  return (
    <Stack gap="xs">
      <Box pos="relative" className="accord-map" component="figure" m={0}>
        <VisuallyHidden component="figcaption">
          Map of the United States: states with matters are coloured by their most significant status. Select
          a state to list its matters.
        </VisuallyHidden>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" style={{ display: "block", maxHeight: 420 }}>
          <title>Matters by state</title>
          {SHAPES.map((s) => {
            const code = FIPS_TO_CODE.get(s.fips);
            const row = code ? rows.get(code) : undefined;
            const group = row && row.count > 0 ? groupOf(row) : null;
            if (!row || !group || !code) {
              return <path key={s.fips} d={s.d} className="accord-map-empty" />;
            }
            const label = `${s.name}: ${row.count} ${row.count === 1 ? "matter" : "matters"}, ${STATUS_GROUP_LABELS[group].toLowerCase()}`;
            return (
              // biome-ignore lint/a11y/useSemanticElements: an SVG shape cannot be a <a> or <button> and keep its outline
              <path
                key={s.fips}
                d={s.d}
                fill={STATUS_GROUP_HEX[group]}
                data-has-matters="true"
                data-state={code}
                role="link"
                tabIndex={0}
                aria-label={label}
                onClick={() => onSelect(code)}
                onKeyDown={(e: KeyboardEvent<SVGPathElement>) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    onSelect(code);
                  }
                }}
                onMouseEnter={(e) => showTip(row, e.currentTarget)}
                onMouseLeave={() => setTip(null)}
                onFocus={(e) => showTip(row, e.currentTarget)}
                onBlur={() => setTip(null)}
              />
            );
          })}
          <path d={BORDERS} className="accord-map-borders" fill="none" />
        </svg>
        {tip ? <MapTooltip tip={tip} /> : null}
      </Box>
      <Group gap="md" wrap="wrap" aria-label="Map legend" role="list">
        {STATUS_GROUPS.filter((g) => usedGroups.has(g)).map((g) => (
          <Group key={g} gap={6} role="listitem">
            <Box w={12} h={12} style={{ background: STATUS_GROUP_HEX[g], borderRadius: 2 }} />
            <Text size="xs">{STATUS_GROUP_LABELS[g]}</Text>
          </Group>
        ))}
        <Group gap={6} role="listitem">
          <Box w={12} h={12} className="accord-map-empty-swatch" style={{ borderRadius: 2 }} />
          <Text size="xs">No matters</Text>
        </Group>
      </Group>
      {offMap.length > 0 ? (
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            Not on the map:
          </Text>
          {offMap.map((r) => (
            <Button key={r.stateCode} size="compact-xs" variant="light" onClick={() => onSelect(r.stateCode)}>
              {stateName(r.stateCode)} ({r.count})
            </Button>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}

function MapTooltip({ tip }: { tip: Tip }) {
  const { row } = tip;
  const statuses = row.statuses.filter((s) => s.count > 0);
  return (
    <Paper
      shadow="md"
      withBorder
      p="xs"
      role="tooltip"
      style={{
        position: "fixed",
        left: tip.x,
        top: tip.y,
        width: 280,
        transform: tip.below ? undefined : "translateY(-100%)",
        pointerEvents: "none",
        zIndex: 300,
      }}
    >
      <Text fw={700} size="sm">
        {stateName(row.stateCode)}
      </Text>
      <Text size="xs">
        {row.count} {row.count === 1 ? "matter" : "matters"}
        {statuses.length > 0
          ? `: ${statuses.map((s) => `${s.count} ${MATTER_STATUS_LABELS[s.status].toLowerCase()}`).join(", ")}`
          : ""}
      </Text>
      {row.jurisdictions.length > 0 ? (
        <Stack gap={0} mt={4}>
          {row.jurisdictions.slice(0, 6).map((j) => (
            <Text key={j.slug} size="xs" c="dimmed">
              {j.name} — {j.count}
            </Text>
          ))}
          {row.jurisdictions.length > 6 ? (
            <Text size="xs" c="dimmed">
              and {row.jurisdictions.length - 6} more
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Paper>
  );
}
