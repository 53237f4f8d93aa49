import {
  CreateJurisdictionSchema,
  JurisdictionListQuerySchema,
  JurisdictionListSchema,
  JurisdictionSchema,
  UpdateJurisdictionSchema,
} from "@accord/domain";
import type { FastifyPluginAsync } from "fastify";
import { registerCrudRoutes } from "../../http/crud-routes.js";
import { createJurisdiction } from "./commands/create-jurisdiction.js";
import { deleteJurisdiction } from "./commands/delete-jurisdiction.js";
import { updateJurisdiction } from "./commands/update-jurisdiction.js";
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
    list: findJurisdictions,
    get: getJurisdiction,
    create: createJurisdiction,
    update: updateJurisdiction,
    remove: deleteJurisdiction,
  });
};
