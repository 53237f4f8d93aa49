import {
  ActionIcon,
  AppShell,
  Burger,
  Group,
  NavLink,
  Text,
  TextInput,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { type FormEvent, type ReactNode, Suspense, useEffect, useState } from "react";
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import {
  IconCalendar,
  IconDashboard,
  IconFolder,
  IconMap,
  IconMoon,
  IconSearch,
  IconShield,
  IconSun,
} from "./icons";
import { PageSkeleton } from "./PageSkeleton";

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  /** Whether a path belongs to this section. */
  match: (path: string) => boolean;
}

const NAV: NavItem[] = [
  { to: "/", label: "Dashboard", icon: <IconDashboard />, match: (p) => p === "/" },
  { to: "/matters", label: "Matters", icon: <IconFolder />, match: (p) => p.startsWith("/matters") },
  {
    to: "/events",
    label: "Calendar & events",
    icon: <IconCalendar />,
    match: (p) => p.startsWith("/events"),
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
  const urlQ = location.pathname === "/matters" ? (params.get("q") ?? "") : "";
  const [q, setQ] = useState(urlQ);
  useEffect(() => setQ(urlQ), [urlQ]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = q.trim();
    navigate(t ? `/matters?q=${encodeURIComponent(t)}` : "/matters");
  };
  return (
    <form aria-label="Search" onSubmit={submit} style={{ flex: 1, maxWidth: 460 }}>
      <TextInput
        type="search"
        aria-label="Search matters"
        placeholder="Search matters: city, agency, case number…"
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
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

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the mobile menu on navigation
  useEffect(() => close(), [location.pathname, close]);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="md" wrap="nowrap">
          <Burger
            opened={opened}
            onClick={toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label={opened ? "Close navigation" : "Open navigation"}
          />
          <Text
            component={Link}
            to="/"
            fw={800}
            size="lg"
            style={{ textDecoration: "none", color: "inherit", letterSpacing: "-0.01em" }}
            w={{ base: "auto", sm: 188 }}
          >
            Accord
          </Text>
          <HeaderSearch />
          <Group ml="auto" gap="xs">
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {NAV.map((item) => {
          const active = item.match(location.pathname);
          return (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              active={active}
              aria-current={active ? "page" : undefined}
              variant="light"
              style={{ borderRadius: "var(--mantine-radius-sm)" }}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
