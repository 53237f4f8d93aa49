import { z } from "zod";
import { MATTER_KINDS, MATTER_STATUSES } from "./enums.js";
import { pageOf } from "./schemas.js";

// Which monitors are assigned to which matters: a monitor reads only their matters. These are
// the API's shapes, shared by the server and the web.

/** A monitor's assignment to a matter. */
export const AssignmentSchema = z.object({
  matter: z.object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    kind: z.enum(MATTER_KINDS),
    status: z.enum(MATTER_STATUSES),
  }),
  user: z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    active: z.boolean(),
  }),
  assignedAt: z.string(),
  assignedBy: z.string(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

export const AssignmentListSchema = pageOf(AssignmentSchema);
export type AssignmentList = z.infer<typeof AssignmentListSchema>;

export const AssignmentListQuerySchema = z.strictObject({
  /** A user's id or username. */
  user: z.string().max(120).optional(),
  /** A matter's id or slug. */
  matter: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AssignmentListQuery = z.output<typeof AssignmentListQuerySchema>;

/** Assigns one monitor to many matters at once. */
export const BulkAssignmentSchema = z.strictObject({
  /** The monitor's id or username. */
  user: z.string().min(1).max(120),
  matterIds: z.array(z.uuid()).min(1).max(1000),
});
export type BulkAssignment = z.output<typeof BulkAssignmentSchema>;

export const BulkAssignmentResultSchema = z.object({
  /** Matters the monitor was newly assigned to. */
  assigned: z.int(),
  /** Matters the monitor was already assigned to (left as they were). */
  alreadyAssigned: z.int(),
});
export type BulkAssignmentResult = z.infer<typeof BulkAssignmentResultSchema>;
