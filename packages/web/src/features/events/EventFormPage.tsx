import { Anchor, Card, Skeleton, Stack } from "@mantine/core";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { isApiError } from "../../api/client";
import { useEvent } from "../../api/hooks";
import { NotFound } from "../../components/NotFound";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { EventForm } from "./EventForm";

/** Where to go after the form: back to where the person came from, when that is inside the app. */
function useBack(fallback: string): string {
  const [params] = useSearchParams();
  const back = params.get("back");
  return back?.startsWith("/") && !back.startsWith("//") ? back : fallback;
}

export function EventNewPage() {
  const navigate = useNavigate();
  const back = useBack("/events");
  return (
    <>
      <Anchor component={Link} to={back} size="sm">
        ← Back
      </Anchor>
      <PageTitle title="New event" subtitle="On a matter's timeline, or in the department-wide record" />
      <Card withBorder padding="md">
        <EventForm onSaved={() => navigate(back)} onCancel={() => navigate(back)} />
      </Card>
    </>
  );
}

export function EventEditPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useEvent(id);
  const fallback = data?.matter ? `/matters/${data.matter.slug}/timeline` : "/events";
  const back = useBack(fallback);
  if (isPending) {
    return (
      <Stack>
        <Skeleton height={34} width="40%" />
        <Skeleton height={400} />
      </Stack>
    );
  }
  if (error) {
    if (isApiError(error) && error.status === 404) return <NotFound what="event" />;
    return <ProblemAlert error={error} onRetry={() => refetch()} />;
  }
  return (
    <>
      <Anchor component={Link} to={back} size="sm">
        ← Back
      </Anchor>
      <PageTitle
        title="Edit event"
        docTitle={`Edit ${data.title}`}
        subtitle={data.matter ? `On ${data.matter.title}` : "Department-wide record"}
      />
      <Card withBorder padding="md">
        <EventForm
          key={data.id}
          event={data}
          onSaved={() => navigate(back)}
          onCancel={() => navigate(back)}
        />
      </Card>
    </>
  );
}
