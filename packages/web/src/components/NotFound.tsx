import { Button, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { useCurrentUser } from "../api/session";
import { PageTitle } from "./PageTitle";

export function NotFound({ what = "page" }: { what?: string }) {
  // Anonymous visitors (public reading) have no dashboard: the matters are their way back.
  const anonymous = useCurrentUser() === null;
  return (
    <Stack>
      <PageTitle title={`No such ${what}`} />
      <Text c="dimmed">Nothing is at this address. It may have been renamed or deleted.</Text>
      <div>
        <Button component={Link} to={anonymous ? "/matters" : "/"} variant="light">
          {anonymous ? "Back to the matters" : "Back to the dashboard"}
        </Button>
      </div>
    </Stack>
  );
}
