import { useNavigate, useParams } from "react-router";
import { useCycle } from "../../api/reviews";
import { BackLink } from "../../components/BackLink";
import { LoadedRecord } from "../../components/LoadedRecord";
import { PageTitle } from "../../components/PageTitle";
import { CycleForm } from "./CycleForm";

export function CycleNewPage() {
  const navigate = useNavigate();
  return (
    <>
      <BackLink to="/reviews">Reviews</BackLink>
      <PageTitle
        title="New review cycle"
        subtitle="A department-wide review: every matter in scope is rated against these criteria, then signed off"
      />
      <CycleForm onSaved={(c) => navigate(`/reviews/${c.slug}`)} onCancel={() => navigate("/reviews")} />
    </>
  );
}

export function CycleEditPage() {
  const { cycleSlug = "" } = useParams();
  const navigate = useNavigate();
  const query = useCycle(cycleSlug);
  return (
    <LoadedRecord query={query} what="review cycle">
      {(cycle) => (
        <>
          <BackLink to={`/reviews/${cycle.slug}`}>{cycle.name}</BackLink>
          <PageTitle title={`Edit ${cycle.name}`} docTitle={`Edit ${cycle.name}`} />
          <CycleForm
            key={cycle.id}
            cycle={cycle}
            onSaved={(c) => navigate(`/reviews/${c.slug}`)}
            onCancel={() => navigate(`/reviews/${cycle.slug}`)}
          />
        </>
      )}
    </LoadedRecord>
  );
}
