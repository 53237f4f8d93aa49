/**
 * us-atlas (U.S. Census Bureau cartographic boundaries): the names and FIPS codes of the states,
 * territories and counties the registry's jurisdictions are.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type JurisdictionKind, type Source, type StateCode, US_STATE_CODES } from "@accord/domain";
import { must } from "./shared.js";

const US_ATLAS_CITATION = "us-atlas 3.0.1 (U.S. Census Bureau cartographic boundaries)";

export interface AtlasFeature {
  id: string;
  properties: { name: string };
}

/** The us-atlas state and county geometries (only their FIPS ids and names are read). */
export interface Atlas {
  states: AtlasFeature[];
  counties: AtlasFeature[];
}

/** The us-atlas package's 10m state and county files, as installed in node_modules. */
export function loadAtlas(): Atlas {
  const require = createRequire(import.meta.url);
  const read = (f: string) =>
    JSON.parse(readFileSync(require.resolve(`us-atlas/${f}`), "utf8")) as {
      objects: Record<string, { geometries: AtlasFeature[] }>;
    };
  return {
    states: must(read("states-10m.json").objects.states, "us-atlas states").geometries,
    counties: must(read("counties-10m.json").objects.counties, "us-atlas counties").geometries,
  };
}

/** State names as us-atlas spells them, to look up each state's FIPS code there. */
const STATE_CODE_NAMES: Record<StateCode, string> = {
  AL: "Alabama",
  AK: "Alaska",
  AZ: "Arizona",
  AR: "Arkansas",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DE: "Delaware",
  DC: "District of Columbia",
  FL: "Florida",
  GA: "Georgia",
  HI: "Hawaii",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  IA: "Iowa",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  ME: "Maine",
  MD: "Maryland",
  MA: "Massachusetts",
  MI: "Michigan",
  MN: "Minnesota",
  MS: "Mississippi",
  MO: "Missouri",
  MT: "Montana",
  NE: "Nebraska",
  NV: "Nevada",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NY: "New York",
  NC: "North Carolina",
  ND: "North Dakota",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VT: "Vermont",
  VA: "Virginia",
  WA: "Washington",
  WV: "West Virginia",
  WI: "Wisconsin",
  WY: "Wyoming",
  PR: "Puerto Rico",
  VI: "United States Virgin Islands",
  GU: "Guam",
  AS: "American Samoa",
  MP: "Commonwealth of the Northern Mariana Islands",
};

/** us-atlas state FIPS by code, via the state names. */
export function stateFipsByCode(atlas: Atlas): Map<StateCode, string> {
  const fipsByCode = new Map<StateCode, string>();
  for (const code of US_STATE_CODES) {
    const f = atlas.states.find((s) => s.properties.name === STATE_CODE_NAMES[code]);
    if (f) fipsByCode.set(code, f.id);
  }
  return fipsByCode;
}

/**
 * A place's name and FIPS code as us-atlas gives them, with the citation: states and territories
 * take the atlas's name; counties keep theirs; cities have no FIPS code here.
 */
export function locatePlace(
  atlas: Atlas,
  place: { name: string; kind: JurisdictionKind; state: StateCode },
  fipsByCode: Map<StateCode, string>,
): { name: string; fips: string | null; sources: Source[] } {
  let { name } = place;
  let fips: string | null = null;
  const extra: Source[] = [];
  const stateFips = fipsByCode.get(place.state);
  if (place.kind === "state" || place.kind === "territory") {
    const feature = must(
      atlas.states.find((f) => f.id === stateFips),
      `us-atlas state ${place.state}`,
    );
    name = feature.properties.name;
    fips = feature.id;
    extra.push({ citation: US_ATLAS_CITATION, note: `Name and FIPS code ${fips}` });
  } else if (place.kind === "county") {
    const prefix = must(stateFips, `FIPS of ${place.state}`);
    const base = name.replace(/ (County|Parish)$/, "");
    const matches = atlas.counties.filter(
      (f) => f.id.startsWith(prefix) && f.properties.name === base && Number(f.id.slice(2)) < 500,
    );
    if (matches.length !== 1)
      throw new Error(`County FIPS for ${name}, ${place.state}: ${matches.length} matches`);
    fips = (matches[0] as AtlasFeature).id;
    extra.push({ citation: US_ATLAS_CITATION, note: `FIPS code ${fips}` });
  }
  return { name, fips, sources: extra };
}
