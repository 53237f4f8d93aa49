import {
  AgencyListQuerySchema,
  AgencyListSchema,
  AgencySchema,
  CreateAgencySchema,
  UpdateAgencySchema,
} from "@accord/domain";
import type { FastifyPluginAsync } from "fastify";
import { registerCrudRoutes } from "../../http/crud-routes.js";
import { createAgency, deleteAgency, updateAgency } from "./commands.js";
import { findAgencies, getAgency } from "./queries.js";

export const agencyRoutes: FastifyPluginAsync = async (app) => {
  registerCrudRoutes(app, {
    path: "agencies",
    noun: "agency",
    deleteNote: "that is party to no matter",
    schemas: {
      listQuery: AgencyListQuerySchema,
      list: AgencyListSchema,
      record: AgencySchema,
      create: CreateAgencySchema,
      update: UpdateAgencySchema,
    },
    list: (query) => findAgencies(app.db, query),
    get: (key) => getAgency(app.db, key),
    create: createAgency,
    update: updateAgency,
    remove: deleteAgency,
  });
};
