import type { Permission } from "@accord/domain";
import type { ComponentType } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { AppLayout } from "./components/AppLayout";
import { NotFound } from "./components/NotFound";
import { PageSkeleton } from "./components/PageSkeleton";
import { RequirePermission, RequireSession, type RouteAccess } from "./components/RequireSession";
import { RouteError } from "./components/RouteError";

/** A lazily loaded screen that only users holding `permission` may open. */
function guarded(permission: Permission, what: string, load: () => Promise<ComponentType>) {
  return async () => {
    const Screen = await load();
    return {
      element: (
        <RequirePermission permission={permission} what={what}>
          <Screen />
        </RequirePermission>
      ),
    };
  };
}

const WRITE = "registry:write" as const;

/**
 * What shows while the first screen's chunk loads on a fresh page load (React Router asks each
 * top route for one, and warns on every load without it).
 */
const hydrateFallbackElement = (
  <div style={{ padding: "var(--mantine-spacing-md)" }}>
    <PageSkeleton />
  </div>
);

/** Screens anonymous visitors may open when the server allows public reading (see RequireSession). */
const PUBLIC: RouteAccess = { publicRead: true };

/*
 * Each screen is its own chunk, fetched when the route is first visited, so the first page
 * loads only the shell and what it shows (the dashboard's chart and map load with it).
 */
export const router = createBrowserRouter([
  {
    path: "/sign-in",
    errorElement: <RouteError />,
    hydrateFallbackElement,
    lazy: async () => ({ Component: (await import("./features/session/SignInPage")).SignInPage }),
  },
  {
    path: "/",
    // Only the sign-in page is shown to someone not signed in, except, when the server allows
    // public reading, the screens marked PUBLIC (the public matters and events, read-only).
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteError />,
    hydrateFallbackElement,
    children: [
      {
        index: true,
        handle: { publicRedirect: "/matters" } satisfies RouteAccess,
        lazy: async () => ({ Component: (await import("./features/dashboard/DashboardPage")).DashboardPage }),
      },
      {
        path: "matters",
        handle: PUBLIC,
        lazy: async () => ({ Component: (await import("./features/matters/MattersPage")).MattersPage }),
      },
      {
        path: "matters/new",
        lazy: guarded(
          WRITE,
          "create matters",
          async () => (await import("./features/matters/MatterNewPage")).MatterNewPage,
        ),
      },
      {
        path: "matters/:slug",
        handle: PUBLIC,
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="overview" /> };
        },
      },
      {
        path: "matters/:slug/timeline",
        handle: PUBLIC,
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="timeline" /> };
        },
      },
      {
        path: "matters/:slug/timeline/new",
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="timeline" addEvent /> };
        },
      },
      {
        path: "matters/:slug/history",
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="history" /> };
        },
      },
      {
        path: "matters/:slug/edit",
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="edit" /> };
        },
      },
      {
        path: "calendar",
        handle: PUBLIC,
        lazy: async () => ({ Component: (await import("./features/calendar/CalendarPage")).CalendarPage }),
      },
      {
        path: "events",
        handle: PUBLIC,
        lazy: async () => ({ Component: (await import("./features/events/EventsPage")).EventsPage }),
      },
      {
        path: "events/new",
        lazy: guarded(
          WRITE,
          "create events",
          async () => (await import("./features/events/EventFormPage")).EventNewPage,
        ),
      },
      {
        path: "events/:id/edit",
        lazy: async () => ({ Component: (await import("./features/events/EventFormPage")).EventEditPage }),
      },
      // Documents and search (issue 5): a matter's documents, all documents, the viewer, search.
      {
        path: "matters/:slug/documents",
        handle: PUBLIC,
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="documents" /> };
        },
      },
      {
        path: "documents",
        handle: PUBLIC,
        lazy: async () => ({ Component: (await import("./features/documents/DocumentsPage")).DocumentsPage }),
      },
      {
        path: "documents/:id",
        handle: PUBLIC,
        lazy: async () => ({
          Component: (await import("./features/documents/DocumentViewerPage")).DocumentViewerPage,
        }),
      },
      {
        path: "search",
        handle: PUBLIC,
        lazy: async () => ({ Component: (await import("./features/search/SearchPage")).SearchPage }),
      },
      // Provisions (issue 6): a matter's provisions and deadlines, a provision at its citable
      // address, provisions across decrees and their comparison, a decree's parse to check.
      {
        path: "matters/:slug/provisions",
        handle: PUBLIC,
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="provisions" /> };
        },
      },
      // Compliance (issue 6): a matter's scale, periods, rating grid and charts; all decrees compared.
      {
        path: "matters/:slug/compliance",
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="compliance" /> };
        },
      },
      {
        path: "compliance",
        lazy: async () => ({
          Component: (await import("./features/compliance/AllCompliancePage")).AllCompliancePage,
        }),
      },
      {
        path: "matters/:slug/provisions/:ref",
        handle: PUBLIC,
        lazy: async () => ({
          Component: (await import("./features/provisions/ProvisionPage")).ProvisionPage,
        }),
      },
      {
        path: "provisions",
        handle: PUBLIC,
        lazy: async () => ({
          Component: (await import("./features/provisions/ProvisionsPage")).ProvisionsPage,
        }),
      },
      {
        path: "provisions/:id",
        handle: PUBLIC,
        lazy: async () => ({
          Component: (await import("./features/provisions/ProvisionPage")).ProvisionByIdPage,
        }),
      },
      {
        path: "provisions/:id/compare",
        handle: PUBLIC,
        lazy: async () => ({
          Component: (await import("./features/provisions/ComparePage")).ComparePage,
        }),
      },
      {
        path: "parses/:id",
        lazy: guarded(
          "registry:read",
          "read decree parses",
          async () => (await import("./features/provisions/ParsePage")).ParsePage,
        ),
      },
      {
        path: "rating-drafts/:id",
        lazy: guarded(
          "registry:read",
          "read ratings read from reports",
          async () => (await import("./features/compliance/RatingDraftPage")).RatingDraftPage,
        ),
      },
      {
        path: "jurisdictions",
        lazy: async () => ({
          Component: (await import("./features/jurisdictions/JurisdictionsPage")).JurisdictionsPage,
        }),
      },
      {
        path: "jurisdictions/new",
        lazy: guarded(
          WRITE,
          "create jurisdictions",
          async () => (await import("./features/jurisdictions/JurisdictionFormPage")).JurisdictionNewPage,
        ),
      },
      // The portfolio of a place or an agency (issue 13): matters, grants, timeline, money.
      {
        path: "jurisdictions/:slug",
        lazy: async () => ({
          Component: (await import("./features/portfolio/PortfolioPage")).JurisdictionPortfolioPage,
        }),
      },
      {
        path: "agencies/:slug",
        lazy: async () => ({
          Component: (await import("./features/portfolio/PortfolioPage")).AgencyPortfolioPage,
        }),
      },
      // Grants (issue 13): the list, money at risk, an award with its conditions.
      {
        path: "grants",
        lazy: async () => ({ Component: (await import("./features/grants/GrantsPage")).GrantsPage }),
      },
      {
        path: "programs",
        lazy: async () => ({ Component: (await import("./features/grants/ProgramsPage")).ProgramsPage }),
      },
      // Statistics (issue 15): how the bundled sources' places were matched.
      {
        path: "statistics/sources",
        lazy: async () => ({
          Component: (await import("./features/statistics/StatisticsSourcesPage")).StatisticsSourcesPage,
        }),
      },
      {
        path: "grants/at-risk",
        lazy: async () => ({ Component: (await import("./features/grants/AtRiskPage")).AtRiskPage }),
      },
      {
        path: "grants/new",
        lazy: async () => ({ Component: (await import("./features/grants/AwardFormPage")).AwardNewPage }),
      },
      {
        path: "grants/:key/edit",
        lazy: async () => ({ Component: (await import("./features/grants/AwardFormPage")).AwardEditPage }),
      },
      {
        path: "grants/:key",
        lazy: async () => ({ Component: (await import("./features/grants/AwardPage")).AwardPage }),
      },
      {
        path: "jurisdictions/:slug/edit",
        lazy: async () => ({
          Component: (await import("./features/jurisdictions/JurisdictionFormPage")).JurisdictionEditPage,
        }),
      },
      {
        path: "agencies",
        lazy: async () => ({ Component: (await import("./features/agencies/AgenciesPage")).AgenciesPage }),
      },
      {
        path: "agencies/new",
        lazy: guarded(
          WRITE,
          "create agencies",
          async () => (await import("./features/agencies/AgencyFormPage")).AgencyNewPage,
        ),
      },
      {
        path: "agencies/:slug/edit",
        lazy: async () => ({
          Component: (await import("./features/agencies/AgencyFormPage")).AgencyEditPage,
        }),
      },
      // The review (issue 4): cycles, a cycle's board, one matter's review.
      {
        path: "reviews",
        lazy: guarded(
          "reviews:read",
          "read reviews",
          async () => (await import("./features/reviews/CyclesPage")).CyclesPage,
        ),
      },
      {
        path: "reviews/new",
        lazy: guarded(
          "cycles:manage",
          "create review cycles",
          async () => (await import("./features/reviews/CycleFormPage")).CycleNewPage,
        ),
      },
      {
        path: "reviews/:cycleSlug",
        lazy: guarded(
          "reviews:read",
          "read reviews",
          async () => (await import("./features/reviews/CyclePage")).CyclePage,
        ),
      },
      {
        path: "reviews/:cycleSlug/edit",
        lazy: guarded(
          "cycles:manage",
          "edit review cycles",
          async () => (await import("./features/reviews/CycleFormPage")).CycleEditPage,
        ),
      },
      {
        path: "reviews/:cycleSlug/report",
        lazy: guarded(
          "reviews:read",
          "read reviews",
          async () => (await import("./features/reviews/ReportPage")).ReportPage,
        ),
      },
      {
        path: "reviews/:cycleSlug/:reviewId",
        lazy: guarded("reviews:read", "read reviews", async () => {
          const { ReviewPage } = await import("./features/reviews/ReviewPage");
          return () => <ReviewPage tab="review" />;
        }),
      },
      {
        path: "reviews/:cycleSlug/:reviewId/history",
        lazy: guarded("reviews:read-drafts", "read a review's history", async () => {
          const { ReviewPage } = await import("./features/reviews/ReviewPage");
          return () => <ReviewPage tab="history" />;
        }),
      },
      {
        path: "reviews/:cycleSlug/:reviewId/as-reviewed",
        lazy: guarded("reviews:read", "read reviews", async () => {
          const { ReviewPage } = await import("./features/reviews/ReviewPage");
          return () => <ReviewPage tab="snapshot" />;
        }),
      },
      {
        path: "reviews/:cycleSlug/:reviewId/report",
        lazy: guarded(
          "reviews:read",
          "read reviews",
          async () => (await import("./features/reviews/ReportPage")).ReportPage,
        ),
      },
      {
        path: "review/:reviewId",
        lazy: guarded(
          "reviews:read",
          "read reviews",
          async () => (await import("./features/reviews/ReviewPage")).ReviewRedirect,
        ),
      },
      {
        path: "inbox",
        lazy: async () => ({ Component: (await import("./features/notifications/InboxPage")).InboxPage }),
      },
      {
        path: "settings",
        lazy: async () => ({ Component: (await import("./features/settings/SettingsPage")).SettingsPage }),
      },
      { path: "admin", element: <Navigate to="/admin/users" replace /> },
      {
        path: "admin/users",
        lazy: guarded(
          "users:manage",
          "manage users",
          async () => (await import("./features/admin/UsersPage")).UsersPage,
        ),
      },
      {
        path: "admin/webhooks",
        lazy: guarded(
          "webhooks:manage",
          "manage webhooks",
          async () => (await import("./features/admin/WebhooksPage")).WebhooksPage,
        ),
      },
      {
        path: "admin/audit",
        lazy: guarded(
          "audit:read",
          "read the audit log",
          async () => (await import("./features/admin/AuditPage")).AuditPage,
        ),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
