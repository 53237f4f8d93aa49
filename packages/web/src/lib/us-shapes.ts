import { geoAlbersUsa, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import statesTopology from "us-atlas/states-10m.json";
import { STATE_INFO } from "./us-states";

/** The states' outlines in an Albers USA projection, drawn once, for the app's maps. */

export const WIDTH = 975;
export const HEIGHT = 610;

const topology = statesTopology as unknown as Topology<{
  states: GeometryCollection<{ name: string }>;
  nation: GeometryCollection;
}>;
const states = feature(topology, topology.objects.states);
const projection = geoAlbersUsa().fitSize([WIDTH, HEIGHT], states);
const path = geoPath(projection);
/** The outlines, drawn once; states outside the projection (territories) yield no path. */
export const SHAPES = states.features
  .map((f) => ({ fips: String(f.id), name: f.properties.name, d: path(f) ?? "" }))
  .filter((s) => s.d !== "");
export const BORDERS = path(mesh(topology, topology.objects.states, (a, b) => a !== b)) ?? "";

export const FIPS_TO_CODE = new Map(Object.entries(STATE_INFO).map(([code, info]) => [info.fips, code]));
