import { Card, Divider, Skeleton, Stack } from "@mantine/core";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { useEvent } from "../../api/hooks";
import { useCan } from "../../api/session";
import { BackLink } from "../../components/BackLink";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { Forbidden } from "../../components/RequireSession";
import { RecordHistory } from "../audit/RecordHistory";
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
      <BackLink to={back}>Back</BackLink>
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
  const query = useEvent(id);
  const canWrite = useCan("registry:write");
  const { data } = query;
  const fallback = data?.matter ? `/matters/${data.matter.slug}/timeline` : "/events";
  const back = useBack(fallback);
  return (
    <LoadedRecord
      query={query}
      what="event"
      skeleton={
        <Stack>
          <Skeleton height={34} width="40%" />
          <Skeleton height={400} />
        </Stack>
      }
    >
      {(event) => (
        <>
          <BackLink to={back}>Back</BackLink>
          <PageTitle
            title="Edit event"
            docTitle={`Edit ${event.title}`}
            subtitle={event.matter ? `On ${event.matter.title}` : "Department-wide record"}
          />
          {canWrite ? (
            <Card withBorder padding="md">
              <EventForm
                key={event.id}
                event={event}
                onSaved={() => navigate(back)}
                onCancel={() => navigate(back)}
              />
            </Card>
          ) : (
            <Forbidden what="edit events" inline />
          )}
          <Divider my="xl" />
          <RecordHistory entity="event" id={event.id} heading="History" />
        </>
      )}
    </LoadedRecord>
  );
}
