import { type Permission, ROLE_LABELS, SearchQuerySchema } from "@accord/domain";
import {
  ActionIcon,
  AppShell,
  Avatar,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { type FormEvent, type ReactNode, Suspense, useEffect, useRef, useState } from "react";
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { useCan, useCurrentUser, useSession, useSignOut } from "../api/session";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { useAsOfSync } from "../lib/as-of";
import { errorMessage, maxLengths } from "../lib/forms";
import { AsOfBanner, AsOfPicker } from "./AsOf";
import {
  IconCalendar,
  IconCheck,
  IconChevronDown,
  IconClipboardCheck,
  IconCoins,
  IconDashboard,
  IconFolder,
  IconHistory,
  IconLogout,
  IconMap,
  IconMoon,
  IconProvisions,
  IconReport,
  IconSearch,
  IconSettings,
  IconShield,
  IconSun,
  IconUsers,
  IconWarning,
  IconWebhook,
} from "./icons";
import { PageSkeleton } from "./PageSkeleton";
import { signInPath } from "./RequireSession";

/** The search box takes what the search query takes. */
const SEARCH_LIMIT = maxLengths(SearchQuerySchema).q;

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  /** Whether a path belongs to this section. */
  match: (path: string) => boolean;
  /** Shown to anonymous visitors too, when the server allows public reading. */
  isPublic?: boolean;
  /** Shown only to users holding this permission. */
  permission?: Permission;
}

const NAV: NavItem[] = [
  { to: "/", label: "Dashboard", icon: <IconDashboard />, match: (p) => p === "/" },
  {
    to: "/matters",
    label: "Matters",
    icon: <IconFolder />,
    match: (p) => p.startsWith("/matters"),
    isPublic: true,
  },
  {
    to: "/documents",
    label: "Documents",
    icon: <IconReport />,
    match: (p) => p.startsWith("/documents"),
    isPublic: true,
  },
  {
    to: "/provisions",
    label: "Provisions",
    icon: <IconProvisions />,
    match: (p) => p.startsWith("/provisions") || p.startsWith("/parses/"),
    isPublic: true,
  },
  {
    to: "/compliance",
    label: "Compliance",
    icon: <IconCheck />,
    match: (p) => p.startsWith("/compliance"),
    permission: "registry:read",
  },
  {
    to: "/reviews",
    label: "Reviews",
    icon: <IconClipboardCheck />,
    match: (p) => p.startsWith("/reviews") || p.startsWith("/review/"),
    permission: "reviews:read",
  },
  {
    to: "/grants",
    label: "Grants",
    icon: <IconCoins />,
    match: (p) => p.startsWith("/grants") && !p.startsWith("/grants/at-risk"),
  },
  {
    to: "/grants/at-risk",
    label: "At risk",
    icon: <IconWarning />,
    match: (p) => p.startsWith("/grants/at-risk"),
  },
  {
    to: "/programs",
    label: "Programs",
    icon: <IconCoins />,
    match: (p) => p.startsWith("/programs"),
  },
  {
    to: "/calendar",
    label: "Calendar",
    icon: <IconCalendar />,
    match: (p) => p.startsWith("/calendar"),
    isPublic: true,
  },
  {
    to: "/events",
    label: "Events",
    icon: <IconHistory />,
    match: (p) => p.startsWith("/events"),
    isPublic: true,
  },
  {
    to: "/jurisdictions",
    label: "Jurisdictions",
    icon: <IconMap />,
    match: (p) => p.startsWith("/jurisdictions"),
  },
  { to: "/agencies", label: "Agencies", icon: <IconShield />, match: (p) => p.startsWith("/agencies") },
];

function HeaderSearch() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const urlQ = location.pathname === "/search" ? (params.get("q") ?? "") : "";
  const [q, setQ] = useState(urlQ);
  useEffect(() => setQ(urlQ), [urlQ]);
  const input = useRef<HTMLInputElement>(null);
  // "/" anywhere but in a text field puts the keyboard in the search box, as on many sites.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = q.trim();
    navigate(t ? `/search?q=${encodeURIComponent(t)}` : "/search");
  };
  return (
    <form aria-label="Search" onSubmit={submit} style={{ flex: 1, maxWidth: 460 }}>
      <TextInput
        ref={input}
        type="search"
        maxLength={SEARCH_LIMIT}
        aria-label="Search matters and documents"
        aria-keyshortcuts="/"
        placeholder="Search matters and documents…   /"
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") e.currentTarget.blur();
        }}
      />
      <VisuallyHidden>
        <button type="submit">Search</button>
      </VisuallyHidden>
    </form>
  );
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme("light", { getInitialValueInEffect: true });
  const dark = computed === "dark";
  const label = dark ? "Switch to light theme" : "Switch to dark theme";
  return (
    <Tooltip label={label}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={label}
        onClick={() => setColorScheme(dark ? "light" : "dark")}
      >
        {dark ? <IconSun /> : <IconMoon />}
      </ActionIcon>
    </Tooltip>
  );
}

/** The signed-in user's name and role, with Settings and Sign out. */
function UserMenu() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  if (!user) return null;
  const name = user.displayName || user.username;
  const initials = name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <Menu position="bottom-end" width={220} shadow="md" withinPortal>
      <Menu.Target>
        {/* Named by its own words (name and role, then "account menu" for screen readers): an
            aria-label over them would differ from what is seen (axe-core's
            label-content-name-mismatch). Below 48em the words are out of sight, not removed. */}
        <UnstyledButton
          px={6}
          py={4}
          style={{ borderRadius: "var(--mantine-radius-sm)" }}
          className="accord-user-button"
        >
          <Group gap={8} wrap="nowrap">
            {/* The initials are decoration, drawn by CSS so they are no words of the name. */}
            <Avatar size={30} radius="xl" color="indigo" variant="light" aria-hidden>
              <span className="accord-initials" data-initials={initials} />
            </Avatar>
            <div style={{ lineHeight: 1.15 }} className="accord-user-text">
              <Text size="sm" fw={600} lh={1.2} truncate maw={160}>
                {name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2}>
                {ROLE_LABELS[user.role]}
              </Text>
            </div>
            <VisuallyHidden component="span">, account menu</VisuallyHidden>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as {user.username}</Menu.Label>
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} />}>
          Settings
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconLogout size={16} />}
          onClick={() =>
            signOut.mutate(undefined, {
              onError: (error) =>
                notifications.show({
                  color: "red",
                  title: "Could not sign out",
                  message: errorMessage(error),
                }),
            })
          }
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** For an anonymous visitor reading the public records: the way to sign in, and back here after. */
function SignInButton() {
  const location = useLocation();
  return (
    <Button component={Link} to={signInPath(`${location.pathname}${location.search}`)} variant="filled">
      Sign in
    </Button>
  );
}

/** Users, the audit log and webhooks, for those who may see them. */
function AdminNav({ path }: { path: string }) {
  const users = useCan("users:manage");
  const audit = useCan("audit:read");
  const webhooks = useCan("webhooks:manage");
  if (!users && !audit && !webhooks) return null;
  const items = [
    users ? { to: "/admin/users", label: "Users", icon: <IconUsers size={16} /> } : null,
    audit ? { to: "/admin/audit", label: "Audit log", icon: <IconHistory size={16} /> } : null,
    webhooks ? { to: "/admin/webhooks", label: "Webhooks", icon: <IconWebhook size={16} /> } : null,
  ].filter((i) => i !== null);
  return (
    <NavLink
      label="Admin"
      leftSection={<IconSettings />}
      defaultOpened
      active={path.startsWith("/admin")}
      variant="subtle"
      childrenOffset={28}
      style={{ borderRadius: "var(--mantine-radius-sm)" }}
    >
      {items.map((item) => (
        <NavItem
          key={item.to}
          to={item.to}
          label={item.label}
          icon={item.icon}
          active={path.startsWith(item.to)}
        />
      ))}
    </NavLink>
  );
}

/** One link of the left navigation, marked as the current page when active. */
function NavItem({
  to,
  label,
  icon,
  active,
}: {
  to: string;
  label: string;
  icon: ReactNode;
  active: boolean;
}) {
  return (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={active}
      aria-current={active ? "page" : undefined}
      variant="light"
      style={{ borderRadius: "var(--mantine-radius-sm)" }}
    />
  );
}

/** The id of the page's main region, where the skip link leads. */
const MAIN_ID = "main-content";

/** Focus the page's heading (its h1), or the main region while the page has none yet. */
function focusPageStart(): void {
  const main = document.getElementById(MAIN_ID);
  const heading = main?.querySelector<HTMLElement>("h1");
  const target = heading ?? main;
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: !heading });
}

/**
 * After a client-side navigation, focus goes to the new page's heading, as a full page load
 * would put a screen reader at the top: otherwise it stays on the link in the navigation and
 * nothing says the page changed. Pages load their data first, so the heading is waited for (a few
 * seconds at most). A page that put focus somewhere itself (a form's first field) keeps it.
 */
function useFocusHeadingOnNavigation() {
  const { pathname } = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new path
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const until = performance.now() + 5_000;
    let frame = 0;
    const attempt = () => {
      const main = document.getElementById(MAIN_ID);
      const active = document.activeElement;
      if (main && active && active !== document.body && active !== main && main.contains(active)) return;
      if (main?.querySelector("h1")) {
        focusPageStart();
        return;
      }
      if (performance.now() < until) frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
}

/** The first thing a keyboard reaches: past the header and the navigation to the page itself. */
function SkipLink() {
  return (
    <a
      href={`#${MAIN_ID}`}
      className="accord-skip-link"
      onClick={(e) => {
        e.preventDefault();
        focusPageStart();
      }}
    >
      Skip to content
    </a>
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  // Nobody signed in, yet here: an anonymous visitor reading the public records.
  const anonymous = useCurrentUser() === null;
  const permissions = useSession().data?.permissions ?? [];
  const nav = (anonymous ? NAV.filter((item) => item.isPublic) : NAV).filter(
    (item) => !item.permission || permissions.includes(item.permission),
  );
  useAsOfSync();
  useFocusHeadingOnNavigation();
  // One day picker: in the header when there is room, else at the top of the folding menu.
  const wide = useMediaQuery("(min-width: 48em)", true, { getInitialValueInEffect: false });
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the mobile menu on navigation
  useEffect(() => close(), [location.pathname, close]);
  return (
    <AppShell
      header={{ height: 56 }}
      // Folded behind the burger below 62em (992 px): a tablet (820 px) gives the page its width.
      navbar={{ width: 220, breakpoint: "md", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" gap="md" wrap="nowrap">
          <Burger
            opened={opened}
            onClick={toggle}
            hiddenFrom="md"
            size="sm"
            aria-label={opened ? "Close navigation" : "Open navigation"}
          />
          <Text
            component={Link}
            to={anonymous ? "/matters" : "/"}
            fw={800}
            size="lg"
            style={{ textDecoration: "none", color: "inherit", letterSpacing: "-0.01em" }}
            w={{ base: "auto", md: 188 }}
          >
            Accord
          </Text>
          <HeaderSearch />
          <Group ml="auto" gap="xs" wrap="nowrap">
            {wide ? <AsOfPicker /> : null}
            <ColorSchemeToggle />
            {anonymous ? null : <NotificationBell />}
            {anonymous ? <SignInButton /> : <UserMenu />}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {wide ? null : (
          <Group mb="xs">
            <AsOfPicker />
          </Group>
        )}
        {nav.map((item) => (
          <NavItem
            key={item.to}
            to={item.to}
            label={item.label}
            icon={item.icon}
            active={item.match(location.pathname)}
          />
        ))}
        <AdminNav path={location.pathname} />
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <AsOfBanner />
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
