import "./search.css";
import {
  DOCUMENT_KIND_LABELS,
  formatPartialDate,
  type SavedSearchFilters,
  type SearchHit,
  SearchQuerySchema,
  type SearchResult,
  searchQueryProblem,
} from "@accord/domain";
import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Checkbox,
  Code,
  Flex,
  Group,
  List,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { isApiError } from "../../api/client";
import { useSearch } from "../../api/search";
import { useCurrentUser } from "../../api/session";
import { IconAlert, IconFolder, IconSearch } from "../../components/icons";
import { Pager } from "../../components/Pager";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { maxLengths } from "../../lib/forms";
import { readInt, readList, useMirror, useUrlState } from "../../lib/url-state";
import { IconFileText } from "../documents/doc-icons";
import { SaveSearchButton } from "../saved-searches/SaveSearchButton";
import { Snippet } from "./highlight";

/** The search box takes what the search query takes. */
const SEARCH_LIMIT = maxLengths(SearchQuerySchema).q;

type FacetName = keyof SearchResult["facets"];

const FACETS: { name: FacetName; label: string; single?: boolean }[] = [
  { name: "type", label: "Result type" },
  { name: "kind", label: "Document kind" },
  { name: "matter", label: "Matter", single: true },
  { name: "state", label: "State" },
  { name: "year", label: "Year" },
];

const DEFAULT_LIMIT = 25;

/** The query syntax, for the empty page and a search that found nothing. */
function SyntaxHelp() {
  return (
    <List size="sm" spacing={4} withPadding>
      <List.Item>
        Words: <Code>use of force</Code> finds results that hold all of them (policing finds police too)
      </List.Item>
      <List.Item>
        Quoted phrases: <Code>"use of force"</Code> finds the words next to each other, in that order
      </List.Item>
      <List.Item>
        -word: <Code>jail -medical</Code> leaves out results that contain “medical”
      </List.Item>
      <List.Item>
        Prefixes: <Code>train*</Code> finds train, training, trainee…
      </List.Item>
    </List>
  );
}

/** Where a hit opens: the matter, or the viewer at the page with the words to mark. */
export function hitLink(hit: SearchHit, q: string): string {
  if (hit.type === "document_page" && hit.documentId) {
    const params = new URLSearchParams({ page: String(hit.page ?? 1), q });
    return `/documents/${hit.documentId}?${params}`;
  }
  return `/matters/${hit.matter?.slug ?? hit.id}`;
}

function Hit({ hit, q }: { hit: SearchHit; q: string }) {
  const isPage = hit.type === "document_page";
  const titleId = `hit-${hit.id}-${hit.page ?? 0}`;
  return (
    <Box component="li" className="accord-search-hit" aria-labelledby={titleId} py="sm">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color={isPage ? "indigo" : "teal"} size="lg" radius="sm" aria-hidden>
          {isPage ? <IconFileText size={18} /> : <IconFolder size={18} />}
        </ThemeIcon>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Anchor component={Link} to={hitLink(hit, q)} fw={600} id={titleId} lh={1.3}>
            {hit.title}
            {isPage && hit.page ? (
              <Text span c="dimmed" fw={400} size="sm">
                {" "}
                — page {hit.page}
              </Text>
            ) : null}
          </Anchor>
          <Text size="xs" c="dimmed">
            {isPage ? (hit.documentKind ? DOCUMENT_KIND_LABELS[hit.documentKind] : "Document") : "Matter"}
            {hit.date ? ` · ${formatPartialDate(hit.date)}` : ""}
            {isPage ? (
              hit.matter ? (
                <>
                  {" · "}
                  <Anchor component={Link} to={`/matters/${hit.matter.slug}`} size="xs">
                    {hit.matter.title}
                  </Anchor>
                </>
              ) : (
                " · Department-wide record"
              )
            ) : null}
          </Text>
          <Text size="sm" className="accord-snippet" mt={2}>
            <Snippet text={hit.snippet} />
          </Text>
        </Stack>
      </Group>
    </Box>
  );
}

/** A facet as a list of checkboxes with counts; its values are kept in the URL. */
function Facet({
  name,
  label,
  single,
  values,
}: {
  name: FacetName;
  label: string;
  single?: boolean;
  values: SearchResult["facets"][FacetName];
}) {
  const { params, update } = useUrlState();
  // The boxes change at once; the URL (and the results) a moment later.
  const [chosen, setChosen] = useMirror(readList(params, name));
  // A chosen value the current results no longer count stays, so it can be unchecked.
  const shown = [
    ...values,
    ...chosen
      .filter((c) => !values.some((v) => v.value === c))
      .map((c) => ({ value: c, label: c, count: 0 })),
  ];
  if (shown.length === 0) return null;
  const change = (next: string[]) => {
    const value = single ? next.filter((v) => !chosen.includes(v)).slice(-1) : next;
    setChosen(value);
    update({ [name]: value });
  };
  return (
    <Checkbox.Group label={label} value={chosen} onChange={change}>
      <Stack gap={6} mt={6}>
        {shown.map((v) => (
          <Checkbox
            key={v.value}
            value={v.value}
            size="xs"
            label={
              <Group gap={4} wrap="nowrap" justify="space-between">
                <Text size="xs" lineClamp={2} title={v.label}>
                  {v.label}
                </Text>
                <Text size="xs" c="dimmed">
                  {v.count.toLocaleString("en-US")}
                </Text>
              </Group>
            }
            aria-label={`${v.label} (${v.count})`}
            styles={{ body: { width: "100%" }, labelWrapper: { flex: 1 } }}
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

/** The search box of the page; Enter (or the button) searches. */
function SearchBox({ q }: { q: string }) {
  const { update } = useUrlState();
  const [value, setValue] = useState(q);
  useEffect(() => setValue(q), [q]);
  const problem = value.trim() ? searchQueryProblem(value.trim()) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ q: value.trim() || null });
  };
  return (
    <form aria-label="Search matters and documents" onSubmit={submit}>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          type="search"
          maxLength={SEARCH_LIMIT}
          aria-label="Search for"
          placeholder='Words, "a phrase", -leave-out, prefix*'
          leftSection={<IconSearch size={16} />}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          style={{ flex: 1 }}
          size="md"
          error={problem && value.trim() !== q ? problem : undefined}
        />
        <Button type="submit" size="md">
          Search
        </Button>
      </Group>
    </form>
  );
}

const FILTERS = ["type", "kind", "matter", "state", "year"] as const;

/** One box across matters and documents' pages: ranked hits with snippets, facets, paging. */
export function SearchPage() {
  const { params, update } = useUrlState();
  const q = (params.get("q") ?? "").trim();
  const limit = readInt(params, "limit", DEFAULT_LIMIT);
  const offset = readInt(params, "offset", 0);
  const query = {
    q,
    type: readList(params, "type"),
    kind: readList(params, "kind"),
    matter: params.get("matter"),
    state: readList(params, "state"),
    year: readList(params, "year"),
    limit,
    offset,
  };
  const result = useSearch(query);
  const me = useCurrentUser();
  const filtered = FILTERS.some((f) => params.get(f));
  const clearFilters = () => update(Object.fromEntries(FILTERS.map((f) => [f, null])));
  const { data, error, isPlaceholderData } = result;
  // A 400 says why the query cannot run (only exclusions, nothing but punctuation…).
  const badQuery =
    isApiError(error) && error.status === 400
      ? (error.problem?.errors?.[0]?.message ?? error.problem?.detail ?? error.message)
      : null;

  return (
    <>
      <PageTitle
        title="Search"
        docTitle={q ? `Search: ${q}` : "Search"}
        subtitle="Matters and the pages of their documents, best matches first"
      />
      <Group mb="md" gap="sm" align="flex-end" wrap="nowrap">
        <Box maw={760} style={{ flex: 1 }}>
          <SearchBox q={q} />
        </Box>
        {q && me && !badQuery ? (
          <SaveSearchButton
            kind="search"
            query={{
              q,
              ...(query.type.length ? { type: query.type as SavedSearchFilters["type"] } : {}),
              ...(query.kind.length ? { kind: query.kind as SavedSearchFilters["kind"] } : {}),
              ...(query.matter ? { matter: query.matter } : {}),
              ...(query.state.length ? { state: query.state as SavedSearchFilters["state"] } : {}),
              ...(query.year.length ? { year: query.year.map(Number) } : {}),
            }}
            suggestedName={q}
          />
        ) : null}
      </Group>
      {!q ? (
        <Card withBorder maw={760}>
          <Title order={2} size="h4" mb="xs">
            What you can type
          </Title>
          <SyntaxHelp />
        </Card>
      ) : (
        <Flex gap="md" align="flex-start" direction={{ base: "column", md: "row" }}>
          {error || (data && data.total === 0 && !filtered) ? null : (
            <Card
              withBorder
              padding="sm"
              w={{ base: "100%", md: 250 }}
              style={{ flexShrink: 0 }}
              component="aside"
              aria-label="Filters"
            >
              {data ? (
                <Stack
                  gap="md"
                  component="form"
                  aria-label="Filter results"
                  onSubmit={(e) => e.preventDefault()}
                >
                  {FACETS.map((f) => (
                    <Facet
                      key={f.name}
                      name={f.name}
                      label={f.label}
                      single={f.single}
                      values={data.facets[f.name]}
                    />
                  ))}
                  {filtered ? (
                    <Button variant="subtle" size="xs" onClick={clearFilters}>
                      Clear all filters
                    </Button>
                  ) : null}
                </Stack>
              ) : (
                <Stack gap="sm" aria-hidden>
                  {[0, 1, 2].map((i) => (
                    <Skeleton key={i} height={70} />
                  ))}
                </Stack>
              )}
            </Card>
          )}
          <Box style={{ flex: 1, minWidth: 0 }} w="100%">
            {badQuery ? (
              <Alert
                color="orange"
                variant="light"
                icon={<IconAlert />}
                title="That search cannot run"
                role="alert"
              >
                <Text size="sm">{badQuery}</Text>
                <Box mt="xs">
                  <SyntaxHelp />
                </Box>
              </Alert>
            ) : error ? (
              <ProblemAlert error={error} onRetry={() => result.refetch()} />
            ) : !data ? (
              <Stack gap="md" aria-busy="true" aria-label="Loading results">
                {[0, 1, 2, 3, 4].map((i) => (
                  <Group key={i} gap="sm" wrap="nowrap" align="flex-start">
                    <Skeleton height={34} width={34} />
                    <Stack gap={6} style={{ flex: 1 }}>
                      <Skeleton height={16} width="60%" />
                      <Skeleton height={10} width="35%" />
                      <Skeleton height={36} />
                    </Stack>
                  </Group>
                ))}
              </Stack>
            ) : data.items.length === 0 ? (
              <Card withBorder>
                <Stack gap="xs">
                  <Title order={2} size="h4">
                    Nothing matches “{q}”{filtered ? " with these filters" : ""}
                  </Title>
                  {filtered ? (
                    <div>
                      <Button variant="light" size="xs" onClick={clearFilters}>
                        Clear all filters
                      </Button>
                    </div>
                  ) : null}
                  <Text size="sm">Try fewer words, a prefix, or check the spelling.</Text>
                  <SyntaxHelp />
                </Stack>
              </Card>
            ) : (
              <Stack gap="xs">
                <Pager
                  total={data.total}
                  limit={data.limit}
                  offset={data.offset}
                  noun="results"
                  onChange={(p) => update(p, { keepOffset: true })}
                />
                {data.capped ? (
                  <Text size="xs" c="dimmed" role="note">
                    A broad search: more than {data.total.toLocaleString("en-US")} results match, and these
                    are the best of those read first. Add a word, a "phrase" or a filter to narrow it; the
                    filters count within those read.
                  </Text>
                ) : null}
                <Box
                  component="ol"
                  aria-label="Search results"
                  aria-busy={isPlaceholderData}
                  className="accord-search-results"
                  style={{ opacity: isPlaceholderData ? 0.6 : 1, transition: "opacity 120ms" }}
                >
                  {data.items.map((hit) => (
                    <Hit key={`${hit.type}-${hit.id}-${hit.page ?? 0}`} hit={hit} q={q} />
                  ))}
                </Box>
                {data.total > data.limit ? (
                  <Pager
                    total={data.total}
                    limit={data.limit}
                    offset={data.offset}
                    noun="results"
                    onChange={(p) => {
                      update(p, { keepOffset: true });
                      window.scrollTo({ top: 0 });
                    }}
                  />
                ) : null}
              </Stack>
            )}
          </Box>
        </Flex>
      )}
    </>
  );
}
