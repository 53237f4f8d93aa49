import type { WatchTarget } from "@accord/domain";
import { Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useCreateWatch, useDeleteWatch, useWatches } from "../../api/notifications";
import { useCurrentUser } from "../../api/session";
import { IconEye } from "../../components/icons";
import { errorMessage } from "../../lib/forms";

/**
 * Watch (or stop watching) a matter, a jurisdiction or a provision: new events and documents on
 * it, and ratings that go down, then reach the inbox.
 */
export function WatchButton({
  target,
  id,
  name,
}: {
  target: Exclude<WatchTarget, "keywords">;
  id: string;
  name: string;
}) {
  const user = useCurrentUser();
  const watches = useWatches(user !== null);
  const create = useCreateWatch();
  const remove = useDeleteWatch();
  if (!user) return null;
  const watch = watches.data?.items.find((w) => w.target === target && w.targetId === id);
  const busy = create.isPending || remove.isPending || watches.isPending;
  const toggle = () => {
    const done = (message: string) => notifications.show({ message, color: "green" });
    const failed = (e: unknown) =>
      notifications.show({ title: "Not saved", message: errorMessage(e), color: "red" });
    if (watch)
      remove.mutate(watch.id, { onSuccess: () => done(`You no longer watch ${name}`), onError: failed });
    else
      create.mutate({ target, key: id } as never, {
        onSuccess: () => done(`You watch ${name}: its news reaches your inbox`),
        onError: failed,
      });
  };
  return (
    <Button
      variant={watch ? "light" : "default"}
      leftSection={<IconEye size={16} />}
      onClick={toggle}
      loading={busy}
      aria-pressed={Boolean(watch)}
    >
      {watch ? "Watching" : "Watch"}
    </Button>
  );
}
