import type { MatterCompliance, SustainmentRule } from "./compliance.js";
import { addYears, sustainmentClock } from "./compliance-trends.js";

/** The roll-up key of provisions that have no section: per-section counts still add up to the total. */
export const NO_SECTION = "(no section)";

/** What the sustainment view needs of one current provision: its section, termination and clock dates. */
export interface ProvisionClockState {
  /** Its paragraph number ("¶ 46"); null for an outline node ("III.A.1"). */
  number: number | null;
  /** Its citation label, as the view lists it. */
  label: string;
  /** Its first-level section as the roll-ups key it ("V. Protection from Harm"), else NO_SECTION. */
  section: string;
  terminatedOn: string | null;
  /** The court order (an event's id) that terminated it. */
  terminatedBy: string | null;
  /** The end of the last period rated below the sustainment level. */
  lastBelowOn: string | null;
  /** The end of the first period of the qualifying run after it. */
  runStartedOn: string | null;
  /** Its latest level. */
  latest: string | null;
  /** The date a court said its clock started, and the order (an event's id) that said so. */
  courtStartsOn: string | null;
  courtEvent: string | null;
}

/** A court order as the view names it. */
export interface OrderRef {
  id: string;
  slug: string;
  title: string;
  date: string;
}

/**
 * Sustainment and termination of a decree from each current provision's state (in the decree's
 * order, as the lists keep it): the clocks (grouped
 * by when and why they started), the provisions without one, and per section and for the decree
 * the earliest day it could end (none while a provision in force has no clock).
 */
export function sustainmentOf(
  clocks: readonly ProvisionClockState[],
  rule: SustainmentRule | null,
  events: ReadonlyMap<string, OrderRef>,
  today: string,
): MatterCompliance["sustainment"] {
  const clocksByStart = new Map<string, MatterCompliance["sustainment"]["clocks"][number]>();
  const withoutClock: { number: number | null; label: string }[] = [];
  type Section = MatterCompliance["sustainment"]["sections"][number] & {
    open: number;
    latestEnd: string | null;
  };
  const sections = new Map<string, Section>();
  const decree = {
    provisions: 0,
    withClock: 0,
    sustained: 0,
    terminated: 0,
    earliestEndOn: null as string | null,
  };
  let decreeOpen = 0;
  // Clocks start on a few dates (period ends, court dates): each end date once.
  const ends = new Map<string, string>();
  const endOf = (start: string, years: number) => {
    const known = ends.get(start);
    if (known !== undefined) return known;
    const end = addYears(start, years);
    ends.set(start, end);
    return end;
  };
  for (const c of clocks) {
    const courtOrder = c.courtStartsOn
      ? { startedOn: c.courtStartsOn, orderedOn: events.get(c.courtEvent ?? "")?.date ?? null }
      : null;
    // The two dates kept for the provision stand for its whole history: the last rating below
    // the level and the start of the run after it.
    const history = [
      ...(c.lastBelowOn ? [{ endsOn: c.lastBelowOn, qualifies: false }] : []),
      ...(c.runStartedOn ? [{ endsOn: c.runStartedOn, qualifies: true }] : []),
    ];
    const clock = rule ? sustainmentClock(history, courtOrder) : null;
    const earliestEndOn = clock && rule ? endOf(clock.startedOn, rule.years) : null;
    const sustained = earliestEndOn !== null && earliestEndOn <= today;
    const terminated = c.terminatedOn !== null;
    let s = sections.get(c.section);
    if (!s) {
      s = {
        section: c.section,
        provisions: 0,
        withClock: 0,
        sustained: 0,
        earliestEndOn: null,
        terminated: false,
        terminatedOn: null,
        terminatedBy: null,
        open: 0,
        latestEnd: null,
      };
      sections.set(c.section, s);
    }
    s.provisions++;
    decree.provisions++;
    if (clock) {
      s.withClock++;
      decree.withClock++;
    }
    if (sustained) {
      s.sustained++;
      decree.sustained++;
    }
    if (terminated) {
      decree.terminated++;
      if (!s.terminatedOn || c.terminatedOn! > s.terminatedOn) {
        s.terminatedOn = c.terminatedOn;
        s.terminatedBy = events.get(c.terminatedBy ?? "") ?? null;
      }
    } else {
      // A provision still in force without a clock keeps its section (and the decree) from a date.
      s.open++;
      decreeOpen++;
      s.latestEnd = laterEnd(s.latestEnd, earliestEndOn);
      decree.earliestEndOn = laterEnd(decree.earliestEndOn, earliestEndOn);
    }
    if (clock && earliestEndOn) {
      const k = `${clock.startedOn}|${clock.source === "court_order" ? (c.courtEvent ?? "") : ""}`;
      let group = clocksByStart.get(k);
      if (!group) {
        group = {
          startedOn: clock.startedOn,
          source: clock.source,
          courtOrder: clock.source === "court_order" ? (events.get(c.courtEvent ?? "") ?? null) : null,
          earliestEndOn,
          sustained,
          provisions: [],
        };
        clocksByStart.set(k, group);
      }
      group.provisions.push({ number: c.number, label: c.label });
    } else if (!terminated) withoutClock.push({ number: c.number, label: c.label });
  }
  return {
    rule,
    clocks: [...clocksByStart.values()].sort(
      (a, b) => a.startedOn.localeCompare(b.startedOn) || a.source.localeCompare(b.source),
    ),
    withoutClock,
    sections: [...sections.values()].map(({ open, latestEnd, ...s }) => ({
      ...s,
      terminated: open === 0,
      earliestEndOn: open === 0 || latestEnd === NEVER ? null : latestEnd,
    })),
    decree: {
      ...decree,
      earliestEndOn: decreeOpen === 0 || decree.earliestEndOn === NEVER ? null : decree.earliestEndOn,
    },
  };
}

/** Stands for "no date while a provision has no clock", which no date can be later than. */
const NEVER = "~never";
const laterEnd = (sofar: string | null, next: string | null) =>
  sofar === NEVER || next === null ? NEVER : !sofar || next > sofar ? next : sofar;
