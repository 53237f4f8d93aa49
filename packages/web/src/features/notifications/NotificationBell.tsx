import { ActionIcon, Indicator, Tooltip } from "@mantine/core";
import { Link } from "react-router";
import { useInbox } from "../../api/notifications";
import { IconBell } from "../../components/icons";

/** The header's bell: the count of unread notifications, and the way to the inbox. */
export function NotificationBell() {
  const { data } = useInbox({ unread: true, limit: 1 });
  const unread = data?.unread ?? 0;
  const label = unread ? `Notifications: ${unread} unread` : "Notifications: none unread";
  return (
    <Tooltip label={label} withArrow>
      <Indicator
        label={unread > 99 ? "99+" : unread}
        size={16}
        disabled={unread === 0}
        offset={4}
        color="red"
      >
        <ActionIcon component={Link} to="/inbox" variant="default" size="lg" aria-label={label}>
          <IconBell size={18} />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
