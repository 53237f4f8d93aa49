import "@mantine/core/styles.css";
import "@mantine/charts/styles.css";
import "@mantine/dates/styles.css";
import "@mantine/notifications/styles.css";
import "./app.css";
import { localStorageColorSchemeManager, MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { configureAuth, isApiError } from "./api/client";
import { type Session, SIGNED_OUT, sessionKey } from "./api/session";
import { router } from "./router";
import { cssVariablesResolver, theme } from "./theme";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// A session answer found by the client (after a refused CSRF proof) updates the screens; a
// "sign in first" ends the session here, and the app goes to the sign-in page; "set up a second
// factor first" sends the user to Settings.
configureAuth({
  onSession: (session) => queryClient.setQueryData(sessionKey, session as Session),
  onUnauthenticated: () => {
    const current = queryClient.getQueryData<Session>(sessionKey);
    if (current?.user) queryClient.setQueryData(sessionKey, SIGNED_OUT);
  },
  // The user must set up a second factor: the screens send them to Settings to do it.
  onSecondFactorRequired: () => {
    const current = queryClient.getQueryData<Session>(sessionKey);
    if (current?.user && !current.totp?.required) {
      queryClient.setQueryData(sessionKey, { ...current, totp: { enabled: false, required: true } });
    }
  },
  // The user signed in with a generated password: the screens send them to Settings to replace it.
  onPasswordChangeRequired: () => {
    const current = queryClient.getQueryData<Session>(sessionKey);
    if (current?.user && !current.passwordChangeRequired) {
      queryClient.setQueryData(sessionKey, { ...current, passwordChangeRequired: true });
    }
  },
});

const colorSchemeManager = localStorageColorSchemeManager({ key: "accord-color-scheme" });

const root = document.getElementById("root");
if (!root) throw new Error("no #root element");

createRoot(root).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="light"
      colorSchemeManager={colorSchemeManager}
    >
      {/* Bottom right: at the top they covered the user menu and the theme switch. */}
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
