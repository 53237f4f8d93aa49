import type { Matter } from "@accord/domain";
import { Box, Tabs } from "@mantine/core";
import { useSearchParams } from "react-router";
import { useMatterProvisions } from "../../api/provisions";
import { useCan } from "../../api/session";
import { applyParams } from "../../lib/url-state";
import { ComplianceCharts } from "./ComplianceCharts";
import { CsvImport } from "./CsvImport";
import { MonitoringCostPanel } from "./MonitoringCostPanel";
import { MovementView } from "./MovementView";
import { RatingGrid } from "./RatingGrid";
import { ScaleSetup } from "./ScaleSetup";
import { SustainmentView } from "./SustainmentView";

export const COMPLIANCE_VIEWS = ["charts", "grid", "movement", "sustainment", "import", "setup"] as const;
export type ComplianceView = (typeof COMPLIANCE_VIEWS)[number];

const VIEW_LABELS: Record<ComplianceView, string> = {
  charts: "Charts",
  grid: "Rating grid",
  movement: "Movement",
  sustainment: "Sustainment",
  import: "Import CSV",
  setup: "Scale & periods",
};

/** Views that write: offered only to those who may rate. */
const RATER_VIEWS = new Set<ComplianceView>(["import"]);

/** Whether the matter shows a Compliance tab: it has provisions, or the user may set it up. */
export function useShowCompliance(m: Matter): boolean {
  const canRate = useCan("compliance:rate");
  const provisions = useMatterProvisions(m.slug, { limit: 1 });
  return canRate || (provisions.data?.total ?? 0) > 0;
}

export function readView(params: URLSearchParams): ComplianceView {
  const v = params.get("view");
  return (COMPLIANCE_VIEWS as readonly string[]).includes(v ?? "") ? (v as ComplianceView) : "charts";
}

/**
 * The matter's Compliance tab: charts, the rating grid, movement between periods, sustainment,
 * the CSV import and the scale and periods, each its own address (`?view=`).
 */
export function ComplianceTab({ matter }: { matter: Matter }) {
  const [params, setParams] = useSearchParams();
  const canRate = useCan("compliance:rate");
  const view = readView(params);
  const views = COMPLIANCE_VIEWS.filter((v) => canRate || !RATER_VIEWS.has(v));
  const go = (next: string | null) => {
    // Each view keeps only its own parameters.
    setParams(next === "charts" ? new URLSearchParams() : applyParams(new URLSearchParams(), { view: next }));
  };
  return (
    <Tabs value={view} onChange={go} variant="pills" keepMounted={false}>
      <Tabs.List mb="md" aria-label="Compliance views">
        {views.map((v) => (
          <Tabs.Tab key={v} value={v}>
            {VIEW_LABELS[v]}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="charts">
        <ComplianceCharts matter={matter} />
        {/* Beside the trajectory: what the monitoring that rates it costs (where the invoices are held). */}
        <Box mt="md">
          <MonitoringCostPanel matterSlug={matter.slug} />
        </Box>
      </Tabs.Panel>
      <Tabs.Panel value="grid">
        <RatingGrid matter={matter} />
      </Tabs.Panel>
      <Tabs.Panel value="movement">
        <MovementView matter={matter} />
      </Tabs.Panel>
      <Tabs.Panel value="sustainment">
        <SustainmentView matter={matter} />
      </Tabs.Panel>
      {canRate ? (
        <Tabs.Panel value="import">
          <CsvImport matter={matter} />
        </Tabs.Panel>
      ) : null}
      <Tabs.Panel value="setup">
        <ScaleSetup matter={matter} />
      </Tabs.Panel>
    </Tabs>
  );
}
