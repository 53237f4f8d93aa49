import { Anchor } from "@mantine/core";
import { Link } from "react-router";

/** The small "← Agencies" link above a screen's title. */
export function BackLink({ to, children }: { to: string; children: string }) {
  return (
    <Anchor component={Link} to={to} size="sm">
      {`← ${children}`}
    </Anchor>
  );
}
