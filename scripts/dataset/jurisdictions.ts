/** The jurisdiction and agency each source row concerns, added to the registry once by slug. */
import type { AgencyKind, JurisdictionKind, Source, StateCode } from "@accord/domain";
import { locatePlace } from "./atlas.js";
import type { Ctx } from "./context.js";
import { mergeSources, slugify, titleCase } from "./shared.js";

/** The agency kind its name implies. */
export function agencyKindFor(name: string): AgencyKind {
  if (/Sheriff/i.test(name)) return "sheriff";
  if (/State Police/i.test(name)) return "state_police";
  if (/University.*Public Safety/i.test(name)) return "campus_police";
  if (/County Attorney/i.test(name)) return "prosecutor";
  if (/\bJail\b/i.test(name)) return "jail";
  if (/Police|Marshal/i.test(name)) return "police";
  return "other";
}

export interface PlaceSpec {
  name: string;
  kind: JurisdictionKind;
  state: StateCode;
}

/** The jurisdiction of an agency (or, without one, of the city the source names). */
export function placeFor(agencyName: string | null, cityText: string, state: StateCode): PlaceSpec {
  if (state === "PR" || state === "VI" || state === "GU" || state === "AS" || state === "MP")
    return { name: state, kind: "territory", state };
  if (/\(statewide\)/i.test(cityText) || (agencyName && /State Police/i.test(agencyName)))
    return { name: state, kind: "state", state };
  if (agencyName === "New York City Police Department") return { name: "New York City", kind: "city", state };
  const county = agencyName ? /^(.+? (County|Parish))\b/.exec(agencyName) : null;
  if (county) return { name: county[1] as string, kind: "county", state };
  const countyInCity = /\(([^)]+ County)\)/.exec(cityText);
  if (countyInCity) return { name: countyInCity[1] as string, kind: "county", state };
  const city = cityText.replace(/\s*\(.*\)\s*$/, "").trim();
  const named = city === city.toUpperCase() ? titleCase(city) : city;
  return { name: named, kind: "city", state };
}

/** The agency's slug, adding it or merging its sources; throws if it appears in two jurisdictions. */
export function ensureAgency(ctx: Ctx, name: string, jurisdiction: string, sources: Source[]): string {
  const slug = slugify(name);
  const existing = ctx.agencies.get(slug);
  if (existing) {
    if (existing.jurisdiction !== jurisdiction)
      throw new Error(`Agency ${slug} in two jurisdictions: ${existing.jurisdiction}, ${jurisdiction}`);
    existing.sources = mergeSources(existing.sources, sources);
    return slug;
  }
  ctx.agencies.set(slug, { slug, name, kind: agencyKindFor(name), jurisdiction, sources: [...sources] });
  return slug;
}

/** The jurisdiction's slug, adding it (with its us-atlas name and FIPS code where it has one) or merging its sources. */
export function ensureJurisdiction(
  ctx: Ctx,
  place: PlaceSpec,
  sources: Source[],
  fipsByCode: Map<StateCode, string>,
): string {
  const { name, fips, sources: extra } = locatePlace(ctx.atlas, place, fipsByCode);
  const slug =
    place.kind === "state" || place.kind === "territory"
      ? slugify(name)
      : `${slugify(name)}-${place.state.toLowerCase()}`;
  const existing = ctx.jurisdictions.get(slug);
  if (existing) {
    if (existing.kind !== place.kind || existing.stateCode !== place.state)
      throw new Error(`Jurisdiction slug clash ${slug}`);
    existing.sources = mergeSources(existing.sources, sources);
    return slug;
  }
  ctx.jurisdictions.set(slug, {
    slug,
    name,
    kind: place.kind,
    stateCode: place.state,
    fips,
    population: null,
    populationYear: null,
    sources: mergeSources(extra, sources),
  });
  return slug;
}
