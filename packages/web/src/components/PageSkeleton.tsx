import { Skeleton, Stack } from "@mantine/core";

export function PageSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      <Skeleton height={32} width="40%" />
      <Skeleton height={18} width="60%" />
      <Skeleton height={240} />
      <Skeleton height={160} />
    </Stack>
  );
}
