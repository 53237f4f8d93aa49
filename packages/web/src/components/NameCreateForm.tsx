import { Button, Group, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { ProblemAlert } from "./ProblemAlert";

/**
 * The one-field form that makes a named credential (an API token, a calendar feed): the name is
 * required, said on the field, and cleared once the server has made it.
 */
export function NameCreateForm<T>({
  ariaLabel,
  label,
  placeholder,
  buttonLabel,
  missing,
  failedTitle,
  create,
  onCreated,
}: {
  ariaLabel: string;
  label: string;
  placeholder: string;
  buttonLabel: string;
  /** What the field says when it is left empty. */
  missing: string;
  failedTitle: string;
  create: {
    mutate: (name: string, options: { onSuccess: (made: T) => void }) => void;
    isPending: boolean;
    error: unknown;
  };
  onCreated: (made: T) => void;
}) {
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) {
      setNameError(missing);
      return;
    }
    setNameError(null);
    create.mutate(n, {
      onSuccess: (made) => {
        onCreated(made);
        setName("");
      },
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={ariaLabel}>
      <Group align="flex-start" gap="sm" mb="md">
        <TextInput
          label={label}
          placeholder={placeholder}
          value={name}
          error={nameError}
          maxLength={100}
          onChange={(e) => setName(e.currentTarget.value)}
          w={280}
        />
        <Button type="submit" mt={25} loading={create.isPending}>
          {buttonLabel}
        </Button>
      </Group>
      {create.error ? <ProblemAlert error={create.error} title={failedTitle} /> : null}
    </form>
  );
}
