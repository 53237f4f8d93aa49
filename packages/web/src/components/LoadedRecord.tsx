import { Skeleton } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { isApiError } from "../api/client";
import { NotFound } from "./NotFound";
import { ProblemAlert } from "./ProblemAlert";

/** A screen's record as it loads: a placeholder, "No such …", a problem to retry, then the screen. */
export function LoadedRecord<T>({
  query,
  what,
  skeleton = <Skeleton height={400} />,
  children,
}: {
  query: UseQueryResult<T>;
  /** What the record is called, for "No such agency". */
  what: string;
  skeleton?: ReactNode;
  children: (record: T) => ReactNode;
}) {
  if (query.isPending) return skeleton;
  if (query.error) {
    // A route the server does not have (an older server) is not a missing record: say which.
    if (isApiError(query.error) && query.error.status === 404 && query.error.code !== "route_not_found")
      return <NotFound what={what} />;
    return <ProblemAlert error={query.error} onRetry={() => query.refetch()} />;
  }
  return children(query.data);
}
