import { Button, Tooltip } from "@mantine/core";
import { Link } from "react-router";
import { cycleReportUrl, type ReportFormat, reviewReportUrl } from "../../api/reviews";
import { IconDownload, IconReport } from "../../components/icons";

const FORMATS: { format: ReportFormat; label: string; hint: string }[] = [
  { format: "pdf", label: "PDF", hint: "The report as PDF: cover, counts, the matrix, a page per matter" },
  { format: "csv", label: "CSV", hint: "Every finding as CSV: a row per review and criterion" },
  { format: "json", label: "JSON", hint: "Every finding as JSON, with the cycle and its counts" },
];

/** A started cycle's reports: the printable page, and downloads of the PDF, CSV and JSON. */
export function CycleReportButtons({ slug }: { slug: string }) {
  return (
    <>
      <Button
        component={Link}
        to={`/reviews/${slug}/report`}
        variant="default"
        leftSection={<IconReport size={16} />}
      >
        Report
      </Button>
      <Button.Group aria-label="Download">
        {FORMATS.map(({ format, label, hint }, i) => (
          <Tooltip key={format} label={hint} withArrow>
            <Button
              component="a"
              href={cycleReportUrl(slug, format)}
              download
              variant="default"
              leftSection={i === 0 ? <IconDownload size={16} /> : undefined}
              aria-label={`Download the report as ${label}`}
            >
              {label}
            </Button>
          </Tooltip>
        ))}
      </Button.Group>
    </>
  );
}

/** One review's report: the printable page and the PDF. */
export function ReviewReportButtons({ cycleSlug, id }: { cycleSlug: string; id: string }) {
  return (
    <>
      <Button
        component={Link}
        to={`/reviews/${cycleSlug}/${id}/report`}
        variant="default"
        leftSection={<IconReport size={16} />}
      >
        Report
      </Button>
      <Button
        component="a"
        href={reviewReportUrl(id)}
        download
        variant="default"
        leftSection={<IconDownload size={16} />}
        aria-label="Download the review as PDF"
      >
        PDF
      </Button>
    </>
  );
}
