import { ActionIcon, Popover, SegmentedControl, Stack, TextInput, type TextInputProps } from "@mantine/core";
import { DatePicker, MonthPicker, YearPicker } from "@mantine/dates";
import { type FocusEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import {
  atPrecision,
  type DatePrecision,
  dateText,
  pickerDay,
  precisionOf,
  readDateText,
} from "../lib/date-text";
import { IconCalendar } from "./icons";

export interface DateFieldProps
  extends Omit<TextInputProps, "value" | "defaultValue" | "onChange" | "type" | "min" | "max"> {
  /** The date as the API has it: "2017-04-07", or "2017-04" and "2017" where `partial`; "" for none. */
  value?: string | null;
  /**
   * Called with the ISO value as soon as the text reads as a date, "" when it is cleared. Text
   * that does not read as one is passed on as typed when the field is left, so a form's own check
   * refuses it rather than saving the last good value unseen.
   */
  onChange: (value: string) => void;
  /** The field takes a month or a year alone (the sources' partial dates). */
  partial?: boolean;
  /** Earliest and latest day allowed, YYYY-MM-DD. */
  minDate?: string;
  maxDate?: string;
  /**
   * Draw the calendar in a portal (default). Inside another popover, draw it in place: a click in
   * a calendar portalled out of that popover would close it.
   */
  withinPortal?: boolean;
}

/** The calendar's own buttons, named for screen readers (Mantine leaves the arrows unnamed). */
const CALENDAR_LABELS = {
  previousMonth: "Previous month",
  nextMonth: "Next month",
  previousYear: "Previous year",
  nextYear: "Next year",
  previousDecade: "Previous decade",
  nextDecade: "Next decade",
  // The month and year buttons in the header keep their visible text ("June 2026") as their name.
};

const PRECISIONS: { value: DatePrecision; label: string }[] = [
  { value: "day", label: "Day" },
  { value: "month", label: "Month" },
  { value: "year", label: "Year" },
];

/**
 * The one date field of the app. It shows a date the way the app writes them ("7 April 2017",
 * "April 2017", "2017"), takes a date typed in that form or as 2017-04-07, and opens a calendar
 * from its button; a field that takes partial dates picks a day, a month or a year. What is wrong
 * with a typed date is said on the field in a sentence.
 */
export function DateField({
  value,
  onChange,
  partial = false,
  minDate,
  maxDate,
  withinPortal = true,
  label,
  error,
  onBlur,
  onKeyDown,
  size,
  disabled,
  readOnly,
  placeholder,
  ...rest
}: DateFieldProps) {
  const current = value ?? "";
  const [text, setText] = useState(() => dateText(current));
  const [problem, setProblem] = useState<string | null>(null);
  const [opened, setOpened] = useState(false);
  const [precision, setPrecision] = useState<DatePrecision>(() => precisionOf(current));
  const emitted = useRef(current);
  const input = useRef<HTMLInputElement>(null);
  const pickerId = useId();

  // A value set from outside (a reset, their version loaded) replaces the text.
  useEffect(() => {
    if (current !== emitted.current) {
      emitted.current = current;
      setText(dateText(current));
      setProblem(null);
      if (current) setPrecision(precisionOf(current));
    }
  }, [current]);

  const emit = (next: string) => {
    emitted.current = next;
    if (next !== current) onChange(next);
  };

  const options = { partial, min: minDate, max: maxDate };

  const type = (typed: string) => {
    setText(typed);
    if (typed.trim() === "") {
      setProblem(null);
      emit("");
      return;
    }
    const reading = readDateText(typed, options);
    if (reading.ok) {
      setProblem(null);
      emit(reading.value);
    } else if (reading.noSuchDate) {
      // No more typing makes 2017-02-30 a day: say so now, and hold the form back from saving.
      setProblem(reading.message);
      emit(typed.trim());
    }
  };

  // Leaving the field (or Enter) writes the date back in the app's format, or says what is wrong.
  const settle = () => {
    if (text.trim() === "") return;
    const reading = readDateText(text, options);
    if (reading.ok) {
      setText(dateText(reading.value));
      setProblem(null);
      emit(reading.value);
    } else {
      setProblem(reading.message);
      emit(text.trim());
    }
  };

  const pick = (day: string | null) => {
    if (!day) return;
    const next = atPrecision(day, partial ? precision : "day");
    setText(dateText(next));
    setProblem(null);
    emit(next);
    setOpened(false);
    input.current?.focus();
  };

  const ariaLabel = (rest as { "aria-label"?: string })["aria-label"];
  const named = typeof label === "string" ? label : (ariaLabel ?? "Date");
  const pickerProps = {
    value: pickerDay(current),
    defaultDate: pickerDay(current) ?? undefined,
    onChange: pick,
    minDate,
    maxDate,
    size: size === "xs" ? ("xs" as const) : ("sm" as const),
    ariaLabels: CALENDAR_LABELS,
  };

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      shadow="md"
      // Shown at once: a calendar fading in is read (and measured for contrast) half-drawn.
      transitionProps={{ duration: 0 }}
      trapFocus
      returnFocus
      withinPortal={withinPortal}
      // The calendar button carries the popup's roles; the text box stays a plain text box.
      withRoles={false}
    >
      <Popover.Target>
        <TextInput
          {...rest}
          ref={input}
          label={label}
          size={size}
          disabled={disabled}
          readOnly={readOnly}
          value={text}
          error={problem ?? error}
          placeholder={placeholder ?? (partial ? "e.g. April 2017" : "e.g. 7 April 2017")}
          autoComplete="off"
          // Room for the longest way of writing a day ("September 30th, 2017"), whatever a schema says.
          maxLength={40}
          onChange={(e) => type(e.currentTarget.value)}
          onBlur={(e: FocusEvent<HTMLInputElement>) => {
            settle();
            onBlur?.(e);
          }}
          onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
            if (e.key === "Enter") settle();
            if (e.key === "ArrowDown" && e.altKey) {
              e.preventDefault();
              setOpened(true);
            }
            onKeyDown?.(e);
          }}
          rightSectionPointerEvents="all"
          rightSection={
            disabled || readOnly ? null : (
              <ActionIcon
                variant="subtle"
                color="gray"
                size={size === "xs" ? "sm" : "md"}
                aria-label={`${named}: pick from a calendar`}
                aria-haspopup="dialog"
                aria-expanded={opened}
                aria-controls={opened ? pickerId : undefined}
                onClick={() => setOpened((o) => !o)}
              >
                <IconCalendar size={size === "xs" ? 14 : 16} />
              </ActionIcon>
            )
          }
        />
      </Popover.Target>
      <Popover.Dropdown
        id={pickerId}
        role="dialog"
        aria-label={`${named}: calendar`}
        // Escape closes the calendar, not a dialog the field sits in: Mantine's modal listens on
        // the window and leaves alone a key pressed on an element marked so.
        onFocusCapture={(e) => e.target.setAttribute("data-mantine-stop-propagation", "true")}
      >
        <Stack gap="xs">
          {partial ? (
            <SegmentedControl
              size="xs"
              fullWidth
              aria-label="Pick a day, a month or a year"
              data={PRECISIONS}
              value={precision}
              onChange={(p) => setPrecision(p as DatePrecision)}
            />
          ) : null}
          {!partial || precision === "day" ? (
            // Weeks start on Sunday, as on the app's calendar. Weekends in red and the next
            // month's days in grey fall short of AA contrast: days are drawn alike, this month's only.
            <DatePicker {...pickerProps} firstDayOfWeek={0} weekendDays={[]} hideOutsideDates />
          ) : precision === "month" ? (
            <MonthPicker {...pickerProps} />
          ) : (
            <YearPicker {...pickerProps} />
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
