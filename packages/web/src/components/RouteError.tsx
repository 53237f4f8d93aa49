import { Button, Container, Stack, Text, Title } from "@mantine/core";
import { isRouteErrorResponse, useRouteError } from "react-router";

/** Shown when a screen throws while rendering, instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={1} size="h2">
          This screen failed to load
        </Title>
        <Text c="dimmed">{message}</Text>
        <div>
          <Button component="a" href="/">
            Back to the dashboard
          </Button>
        </div>
      </Stack>
    </Container>
  );
}
