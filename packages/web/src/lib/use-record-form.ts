import { type FormErrors, type UseFormReturnType, useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEventHandler, useMemo, useState } from "react";
import {
  changedFields,
  editBody,
  focusFirstError,
  maxLengthOf,
  maxLengths,
  type SourceValues,
  slugify,
} from "./forms";
import { useConflictMerge } from "./use-conflict-merge";
import { useUnsavedChanges } from "./use-unsaved-changes";
import { useVersionedSave } from "./use-versioned-save";

/** What every record form edits: a slug, sources, and whatever else the record has. */
export interface RecordFormValues {
  slug: string;
  sources: SourceValues[];
}

interface Options<TRecord, TValues, TPayload> {
  /** The record to edit; none for a new one. */
  record?: TRecord;
  /** A new record's starting values. */
  emptyValues: TValues;
  toValues: (record: TRecord) => TValues;
  /** The request body the values make. */
  toPayload: (values: TValues) => TPayload;
  /** Checks before sending; `isEdit` picks the domain's Update or Create schema. */
  validate: (values: TValues, isEdit: boolean) => FormErrors;
  /** The domain schema the form's text fields are limited by: each input gets its maxLength. */
  limitsFrom?: unknown;
  /** The form's field paths in the order they are shown: focus goes to the first with an error. */
  fieldOrder: readonly string[];
  /** Field names for the conflict message's list of unsaved changes. */
  fieldLabels: Record<string, string>;
  /** List fields an edit sends as they stand even when unchanged (see `editBody`). */
  listFields: readonly (keyof TPayload)[];
  create: (payload: TPayload) => Promise<TRecord>;
  update: (write: { id: string; version: number; patch: Partial<TPayload> }) => Promise<TRecord>;
  /** Fetch the record as it stands, when a conflict answer does not carry it. */
  reload: (id: string) => Promise<TRecord>;
  /** Where the query cache keeps the record, to put theirs there on "Load their version". */
  cacheKey: (record: TRecord) => QueryKey;
  /** What the notification after a save names the record by. */
  savedMessage: (record: TRecord) => string;
  /** The notification's title after an edit and after a create. */
  savedTitles?: { edit: string; create: string };
  onSaved: (record: TRecord) => void;
}

/**
 * The state of a form that creates or edits a versioned record. The form keeps the version it
 * started from: a save based on an older version than the server's comes back as a conflict for
 * the person to resolve. An edit sends only what changed; the server's field errors land next to
 * their fields, and focus goes to the first field with an error.
 */
export function useRecordForm<
  TRecord extends { id: string; version: number },
  TValues extends RecordFormValues,
  TPayload extends Record<string, unknown>,
>(options: Options<TRecord, TValues, TPayload>) {
  const { record, toValues, toPayload, fieldOrder } = options;
  const qc = useQueryClient();
  const isEdit = record !== undefined;
  const [base, setBase] = useState<TRecord | null>(record ?? null);
  const [slugTouched, setSlugTouched] = useState(isEdit);
  const limits = useMemo(() => maxLengths(options.limitsFrom), [options.limitsFrom]);
  const form = useForm<TValues>({
    mode: "controlled",
    initialValues: record ? toValues(record) : options.emptyValues,
    validate: (values) => options.validate(values, isEdit),
    validateInputOnChange: true,
    enhanceGetInputProps: ({ field }) => {
      const maxLength = maxLengthOf(limits, field);
      return maxLength === undefined ? { "data-path": field } : { "data-path": field, maxLength };
    },
  });

  const resetTo = (r: TRecord) => {
    const values = toValues(r);
    setBase(r);
    form.setValues(values);
    form.resetDirty(values);
    form.clearErrors();
  };

  const saver = useVersionedSave<TRecord, Partial<TPayload>>({
    save: (payload, version) =>
      base && version !== undefined
        ? options.update({ id: base.id, version, patch: payload })
        : options.create(payload as TPayload),
    onSaved: (r) => {
      resetTo(r);
      const titles = options.savedTitles ?? { edit: "Saved", create: "Created" };
      notifications.show({
        color: "teal",
        title: isEdit ? titles.edit : titles.create,
        message: options.savedMessage(r),
      });
      options.onSaved(r);
    },
    reload: base ? () => options.reload(base.id) : undefined,
    setFieldErrors: form.setErrors,
    fieldOrder,
  });

  // Leaving with edits asks first; a save resets the form before it moves on, so is not held.
  const blocker = useUnsavedChanges(() => form.isDirty());

  const values = form.values;
  const pending = useMemo(
    () => (base ? Object.keys(changedFields(toPayload(toValues(base)), toPayload(values))) : []),
    [base, values, toPayload, toValues],
  );

  const onSubmit: FormEventHandler<HTMLFormElement> = form.onSubmit(
    (v) => {
      const payload = toPayload(v);
      if (base) {
        const patch = editBody(toPayload(toValues(base)), payload, options.listFields);
        if (Object.keys(patch).length === 0) {
          notifications.show({ color: "gray", message: "Nothing to save: no field was changed." });
          return;
        }
        void saver.submit(patch, base.version);
      } else {
        void saver.submit(payload, undefined);
      }
    },
    (errors) => focusFirstError(errors, fieldOrder),
  );

  /** Put this person's edits on top of their version, as chosen, and save them on its version. */
  const merge = useConflictMerge<TRecord, TValues>({
    base,
    conflict: saver.conflict,
    values,
    toValues,
    onMerge: (current, merged) => {
      resetTo(current);
      qc.setQueryData(options.cacheKey(current), current);
      form.setValues(merged);
      const patch = editBody(toPayload(toValues(current)), toPayload(merged), options.listFields);
      if (Object.keys(patch).length === 0) {
        saver.dismissConflict();
        notifications.show({
          color: "gray",
          message: "Their version already has your changes: nothing to save.",
        });
        return;
      }
      void saver.submit(patch, current.version);
    },
  });

  /** Take their version: the form is reset to it, and the cache holds it. */
  const loadTheirs = () => {
    const current = saver.conflict?.current;
    if (!current) return;
    resetTo(current);
    qc.setQueryData(options.cacheKey(current), current);
    saver.dismissConflict();
  };

  /**
   * The props of a field the slug is made from: as the person types, the slug follows
   * `slugText(typed)`, until they have been in the slug field.
   */
  const slugSourceProps = (field: string, slugText: (typed: string) => string = (typed) => typed) => {
    const props = form.getInputProps(field);
    return {
      ...props,
      // A text box gives an event, the date field its value.
      onChange: (e: ChangeEvent<HTMLInputElement> | string) => {
        props.onChange(e);
        if (!slugTouched) {
          const typed = typeof e === "string" ? e : e.currentTarget.value;
          (form as UseFormReturnType<RecordFormValues>).setFieldValue("slug", slugify(slugText(typed)));
        }
      },
    };
  };

  /** The slug field's props: once the person has been in it, the slug is theirs. */
  const slugInputProps = () => ({ ...form.getInputProps("slug"), onFocus: () => setSlugTouched(true) });

  return {
    form,
    /** The record as last loaded or saved; null for a new one until it is created. */
    base,
    isEdit,
    saver,
    /** A stale save's merge of these edits onto their version (see useConflictMerge). */
    merge,
    fieldLabels: options.fieldLabels,
    /** Labels of the fields this form would change, for the conflict message. */
    unsavedChanges: pending.map((k) => options.fieldLabels[k] ?? k),
    /** Holds a move away while the form has unsaved edits (see UnsavedChangesModal). */
    blocker,
    onSubmit,
    loadTheirs,
    slugSourceProps,
    slugInputProps,
  };
}

export type RecordFormState<
  TRecord extends { id: string; version: number },
  TValues extends RecordFormValues,
  TPayload extends Record<string, unknown>,
> = ReturnType<typeof useRecordForm<TRecord, TValues, TPayload>>;
