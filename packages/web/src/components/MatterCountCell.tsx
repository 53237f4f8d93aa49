import { Anchor, Table, Text } from "@mantine/core";
import { Link } from "react-router";

/** A list's "Matters" cell: how many, linking to exactly those matters when there are any. */
export function MatterCountCell({ count, to, label }: { count: number; to: string; label: string }) {
  return (
    <Table.Td>
      {count > 0 ? (
        <Anchor component={Link} to={to} size="sm" aria-label={label}>
          {count}
        </Anchor>
      ) : (
        <Text span size="sm" c="dimmed">
          0
        </Text>
      )}
    </Table.Td>
  );
}
