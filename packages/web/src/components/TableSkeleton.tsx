import { Skeleton, Stack } from "@mantine/core";

export function TableSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <Stack gap={6} aria-busy="true" aria-label="Loading">
      <Skeleton height={32} />
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} height={26} opacity={1 - i * 0.08} />
      ))}
    </Stack>
  );
}
