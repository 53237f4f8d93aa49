import {
  type ComplianceLevel,
  type ComplianceScale,
  DEFAULT_COMPLIANCE_LEVELS,
  type SustainmentRule,
} from "@accord/domain";
import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/open.js";
import { isoTime, queryOne } from "../../db/sql.js";

export interface Scale {
  levels: ComplianceLevel[];
  sustainment: SustainmentRule | null;
  isDefault: boolean;
  version: number;
  updatedAt: string | null;
}

export const defaultScale = (): Scale => ({
  levels: DEFAULT_COMPLIANCE_LEVELS,
  sustainment: null,
  isDefault: true,
  version: 0,
  updatedAt: null,
});

/** A compliance_scales row `s` as a Scale. */
export const SCALE_COLUMNS = sql`s.levels, s.sustainment, false as "isDefault", s.version, ${isoTime("s.updated_at")} as "updatedAt"`;

/** The matter's scale, or the default one (version 0) while none is set. */
export async function loadScale(db: Queryable, matterId: string, lock = false): Promise<Scale> {
  const row = await queryOne<Scale>(
    db,
    sql`select ${SCALE_COLUMNS} from compliance_scales s where s.matter_id = ${matterId}${lock ? sql` for update` : sql``}`,
  );
  return row ?? defaultScale();
}

export const presentScale = (scale: Scale, canEdit: boolean): ComplianceScale => ({
  levels: scale.levels.map((l) => ({
    code: l.code,
    label: l.label,
    normalized: l.normalized,
    full: l.full,
    rated: l.rated,
  })),
  sustainment: scale.sustainment,
  isDefault: scale.isDefault,
  version: scale.version,
  updatedAt: scale.updatedAt,
  abilities: { edit: canEdit },
});
