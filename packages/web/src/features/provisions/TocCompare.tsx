import type { DecreeParse } from "@accord/domain";
import { Alert, Anchor, Badge, Group, List, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import { IconCheck } from "../../components/icons";
import { documentPagePath } from "./shared";

/** The decree's table of contents beside the sections found in its text. */
export function TocCompare({ parse }: { parse: DecreeParse }) {
  // A subsection is known by its section too: "A. Policies" comes under several sections.
  const withPaths = <T extends { number: string; title: string; level: 1 | 2 }>(list: readonly T[]) => {
    let outer = "";
    return list.map((t) => {
      if (t.level === 1) outer = t.number;
      const path = t.level === 1 ? t.number : `${outer}.${t.number}`;
      return { t, path, key: `${path} ${t.title}`.toLowerCase() };
    });
  };
  const sections = withPaths(parse.sections);
  const found = new Map(sections.map((s) => [s.key, s.t]));
  const toc = withPaths(parse.toc);
  const inToc = new Set(toc.map((x) => x.key));
  const extra = sections.filter((s) => !inToc.has(s.key)).map((s) => s.t);
  const counts = new Map<string, number>();
  for (const p of parse.provisions) {
    const k = p.sections.map((s) => s.number).join(".");
    for (const prefix of new Set([p.sections[0]?.number, k]))
      if (prefix) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  const rows = (parse.toc.length ? toc : sections).map((x) => ({ ...x, match: found.get(x.key) ?? null }));
  const missing = parse.toc.length ? rows.filter((r) => !r.match).length : 0;
  return (
    <Stack gap="sm">
      <Text size="sm" c={missing ? "orange" : "dimmed"}>
        {parse.toc.length === 0
          ? "The decree has no table of contents: these are the sections found in its text."
          : missing === 0
            ? `All ${parse.toc.length} headings of the table of contents were found in the text.`
            : `${missing} of ${parse.toc.length} headings of the table of contents were not found in the text.`}
      </Text>
      <ScrollArea type="auto">
        <Table withTableBorder className="accord-table" verticalSpacing={3}>
          <Table.Caption className="sr-only">Table of contents against the sections found</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Heading</Table.Th>
              <Table.Th w={110}>Page in contents</Table.Th>
              <Table.Th w={150}>Found in text</Table.Th>
              <Table.Th w={100}>Provisions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ t, path, match }) => (
              <Table.Tr key={path}>
                <Table.Td pl={t.level === 2 ? 32 : undefined}>
                  <Text size="sm" fw={t.level === 1 ? 600 : 400}>
                    {t.number}. {t.title}
                  </Text>
                </Table.Td>
                <Table.Td>{"page" in t && t.page !== null ? t.page : "—"}</Table.Td>
                <Table.Td>
                  {match ? (
                    <Group gap={4} wrap="nowrap">
                      <IconCheck size={14} color="var(--mantine-color-teal-6)" />
                      <Anchor component={Link} to={documentPagePath(parse.document.id, match.page)} size="sm">
                        page {match.page}
                      </Anchor>
                    </Group>
                  ) : (
                    <Badge size="sm" color="orange" variant="light" radius="sm" tt="none">
                      Not found
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{counts.get(path) ?? 0}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {parse.toc.length > 0 && extra.length > 0 ? (
        <Alert color="orange" variant="light" title="Sections found that the contents do not list">
          <List size="sm">
            {extra.map((s) => (
              <List.Item key={s.path}>
                {s.number}. {s.title} (page {s.page})
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Stack>
  );
}
