import {
  CreateJurisdictionSchema,
  JurisdictionListQuerySchema,
  JurisdictionListSchema,
  JurisdictionSchema,
  UpdateJurisdictionSchema,
} from "@accord/domain";
import type { FastifyPluginAsync } from "fastify";
import { registerCrudRoutes } from "../../http/crud-routes.js";
import { createJurisdiction, deleteJurisdiction, updateJurisdiction } from "./commands.js";
import { findJurisdictions, getJurisdiction } from "./queries.js";

export const jurisdictionRoutes: FastifyPluginAsync = async (app) => {
  registerCrudRoutes(app, {
    path: "jurisdictions",
    noun: "jurisdiction",
    deleteNote: "that has no matters or agencies",
    schemas: {
      listQuery: JurisdictionListQuerySchema,
      list: JurisdictionListSchema,
      record: JurisdictionSchema,
      create: CreateJurisdictionSchema,
      update: UpdateJurisdictionSchema,
    },
    list: (query) => findJurisdictions(app.db, query),
    get: (key) => getJurisdiction(app.db, key),
    create: createJurisdiction,
    update: updateJurisdiction,
    remove: deleteJurisdiction,
  });
};
