import { Button, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { PageTitle } from "./PageTitle";

export function NotFound({ what = "page" }: { what?: string }) {
  return (
    <Stack>
      <PageTitle title={`No such ${what}`} />
      <Text c="dimmed">Nothing is at this address. It may have been renamed or deleted.</Text>
      <div>
        <Button component={Link} to="/" variant="light">
          Back to the dashboard
        </Button>
      </div>
    </Stack>
  );
}
