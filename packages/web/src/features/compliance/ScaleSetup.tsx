import type { Matter } from "@accord/domain";
import { Skeleton, Stack } from "@mantine/core";
import { useComplianceScale } from "../../api/compliance";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Panel } from "./ComplianceCharts";
import { PeriodsEditor } from "./PeriodsEditor";
import { ScaleEditor } from "./ScaleEditor";

/** The matter's compliance scale, sustainment rule and reporting periods. */
export function ScaleSetup({ matter }: { matter: Matter }) {
  const scale = useComplianceScale(matter.slug);
  return (
    <Stack gap="md">
      <Panel id="scale-h" title="Compliance scale">
        {scale.isPending ? (
          <Skeleton height={200} />
        ) : scale.isError ? (
          <ProblemAlert error={scale.error} onRetry={() => scale.refetch()} />
        ) : (
          <ScaleEditor key={scale.data.version} scale={scale.data} matterKey={matter.slug} />
        )}
      </Panel>
      <Panel id="periods-h" title="Reporting periods">
        <PeriodsEditor matterKey={matter.slug} />
      </Panel>
    </Stack>
  );
}
