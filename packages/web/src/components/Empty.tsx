import { EmptyState } from "@mantine/core";
import type { ReactNode } from "react";
import { IconInbox } from "./icons";

/** The empty state of a list or panel. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <EmptyState
      size="sm"
      py="lg"
      icon={<IconInbox size={28} />}
      withIndicatorBackground
      title={title}
      description={children}
    />
  );
}
