import { createBrowserRouter } from "react-router";
import { AppLayout } from "./components/AppLayout";
import { NotFound } from "./components/NotFound";
import { RouteError } from "./components/RouteError";

/*
 * Each screen is its own chunk, fetched when the route is first visited, so the first page
 * loads only the shell and what it shows (the dashboard's chart and map load with it).
 */
export const router = createBrowserRouter([
  {
    path: "/",
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import("./features/dashboard/DashboardPage")).DashboardPage }),
      },
      {
        path: "matters",
        lazy: async () => ({ Component: (await import("./features/matters/MattersPage")).MattersPage }),
      },
      {
        path: "matters/new",
        lazy: async () => ({ Component: (await import("./features/matters/MatterNewPage")).MatterNewPage }),
      },
      {
        path: "matters/:slug",
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="overview" /> };
        },
      },
      {
        path: "matters/:slug/timeline",
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
        path: "matters/:slug/edit",
        lazy: async () => {
          const { MatterPage } = await import("./features/matters/MatterPage");
          return { element: <MatterPage tab="edit" /> };
        },
      },
      {
        path: "events",
        lazy: async () => ({ Component: (await import("./features/events/EventsPage")).EventsPage }),
      },
      {
        path: "events/new",
        lazy: async () => ({ Component: (await import("./features/events/EventFormPage")).EventNewPage }),
      },
      {
        path: "events/:id/edit",
        lazy: async () => ({ Component: (await import("./features/events/EventFormPage")).EventEditPage }),
      },
      {
        path: "jurisdictions",
        lazy: async () => ({
          Component: (await import("./features/jurisdictions/JurisdictionsPage")).JurisdictionsPage,
        }),
      },
      {
        path: "jurisdictions/new",
        lazy: async () => ({
          Component: (await import("./features/jurisdictions/JurisdictionFormPage")).JurisdictionNewPage,
        }),
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
        lazy: async () => ({ Component: (await import("./features/agencies/AgencyFormPage")).AgencyNewPage }),
      },
      {
        path: "agencies/:slug/edit",
        lazy: async () => ({
          Component: (await import("./features/agencies/AgencyFormPage")).AgencyEditPage,
        }),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
