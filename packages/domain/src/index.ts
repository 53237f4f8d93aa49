export * from "./accounts.js";
export * from "./as-of.js";
export * from "./assignments.js";
export * from "./audit.js";
export * from "./bundle.js";
export * from "./calendar/calendar.js";
export * from "./calendar/ics.js";
export * from "./calendar/time-zones.js";
export * from "./csv.js";
export * from "./documents.js";
export * from "./enums.js";
export * from "./errors.js";
export * from "./grants.js";
export * from "./grants-api.js";
export * from "./imports.js";
export * from "./lifecycle.js";
export * from "./messages.js";
export * from "./monitor-invoices.js";
export * from "./notifications.js";
export * from "./palette.js";
export * from "./partial-date.js";
export * from "./policy.js";
export * from "./provenance.js";
export * from "./provisions/compliance.js";
export * from "./provisions/compliance-trends.js";
export * from "./provisions/deadline-status.js";
export * from "./provisions/deadlines.js";
export * from "./provisions/edit.js";
export * from "./provisions/figures.js";
export * from "./provisions/outline.js";
export {
  isCourtStamp,
  splitAtCourtStamps,
  splitAtOfficeFooters,
  splitAtPageNumbers,
} from "./provisions/outline-pages.js";
export * from "./provisions/outline-provisions.js";
export * from "./provisions/overdue.js";
export * from "./provisions/parse.js";
export * from "./provisions/rating-drafts.js";
export * from "./provisions/rating-reader.js";
export * from "./provisions/rating-wordings.js";
export * from "./provisions/ratings-history.js";
export * from "./provisions/schemas.js";
export * from "./provisions/sustainment.js";
export * from "./provisions/topics.js";
export * from "./review.js";
export * from "./review-report.js";
export * from "./saved-searches.js";
export * from "./schemas.js";
export * from "./search-query.js";
export * from "./statistics.js";
