import { useNavigate } from "react-router";
import { PageTitle } from "../../components/PageTitle";
import { MatterForm } from "./MatterForm";

export function MatterNewPage() {
  const navigate = useNavigate();
  return (
    <>
      <PageTitle title="New matter" subtitle="A federal activity with a local agency, with its sources" />
      <MatterForm onSaved={(m) => navigate(`/matters/${m.slug}`)} onCancel={() => navigate("/matters")} />
    </>
  );
}
