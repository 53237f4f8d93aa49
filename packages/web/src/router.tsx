import type { Permission } from "@accord/domain";
import type { ComponentType } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { AppLayout } from "./components/AppLayout";
import { NotFound } from "./components/NotFound";
import { RequirePermission, RequireSession } from "./components/RequireSession";
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

/*
 * Each screen is its own chunk, fetched when the route is first visited, so the first page
 * loads only the shell and what it shows (the dashboard's chart and map load with it).
 */
export const router = createBrowserRouter([
  {
    path: "/sign-in",
    errorElement: <RouteError />,
    lazy: async () => ({ Component: (await import("./features/session/SignInPage")).SignInPage }),
  },
  {
    path: "/",
    // Only the sign-in page is shown to someone not signed in.
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
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
        lazy: guarded(
          WRITE,
          "create matters",
          async () => (await import("./features/matters/MatterNewPage")).MatterNewPage,
        ),
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
        path: "events",
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
