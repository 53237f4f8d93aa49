import { type SearchHit, searchQueryProblem } from "@accord/domain";
import { Card, Skeleton, Stack, Text, UnstyledButton } from "@mantine/core";
import { isApiError } from "../../api/client";
import { useSearch } from "../../api/search";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Snippet } from "../search/highlight";

/** At most this many pages are listed (the best matches, shown in page order). */
const MAX_HITS = 100;

/**
 * Search in this document: the pages whose text holds the words (the search box's syntax:
 * "phrases", -word, prefix*), in page order with a snippet each; choosing one opens that page.
 */
export function DocumentHits({
  documentId,
  q,
  page,
  onGo,
}: {
  documentId: string;
  q: string;
  page: number;
  onGo: (page: number) => void;
}) {
  const problem = searchQueryProblem(q);
  const result = useSearch({ q: problem ? "" : q, document: documentId, limit: MAX_HITS });
  const { data, error } = result;
  const hits: SearchHit[] = [...(data?.items ?? [])]
    .filter((h) => h.page !== null)
    .sort((a, b) => (a.page ?? 0) - (b.page ?? 0));
  const badQuery =
    problem ??
    (isApiError(error) && error.status === 400
      ? (error.problem?.errors?.[0]?.message ?? error.problem?.detail ?? error.message)
      : null);

  return (
    <Card
      withBorder
      padding="sm"
      component="aside"
      aria-label="Search in this document"
      className="accord-doc-hits"
    >
      {badQuery ? (
        <Text size="sm" c="orange.8" role="alert">
          {badQuery}
        </Text>
      ) : error ? (
        <ProblemAlert error={error} onRetry={() => result.refetch()} />
      ) : !data ? (
        <Stack gap="xs" aria-busy="true" aria-label="Searching this document">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={48} />
          ))}
        </Stack>
      ) : (
        <Stack gap={6}>
          <Text size="sm" fw={600} aria-live="polite">
            {data.total === 0
              ? `No page holds “${q}”`
              : `${data.total.toLocaleString("en-US")}${data.capped ? "+" : ""} ${data.total === 1 ? "page holds" : "pages hold"} “${q}”`}
          </Text>
          {data.total > hits.length && hits.length > 0 ? (
            <Text size="xs" c="dimmed">
              The {hits.length} best, in page order.
            </Text>
          ) : null}
          {hits.length > 0 ? (
            <ol className="accord-doc-hits-list" aria-label="Pages that match">
              {hits.map((hit) => (
                <li key={hit.page}>
                  <UnstyledButton
                    className="accord-doc-hit"
                    onClick={() => onGo(hit.page ?? 1)}
                    aria-current={hit.page === page ? "page" : undefined}
                    data-current={hit.page === page || undefined}
                  >
                    <Text size="xs" fw={600} span>
                      Page {hit.page}
                    </Text>
                    <Text size="xs" className="accord-snippet">
                      <Snippet text={hit.snippet} />
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
            </ol>
          ) : null}
        </Stack>
      )}
    </Card>
  );
}
