import {
  AgencyListQuerySchema,
  AgencyListSchema,
  AgencySchema,
  CreateAgencySchema,
  UpdateAgencySchema,
} from "@accord/domain";
import type { FastifyPluginAsync } from "fastify";
import { registerCrudRoutes } from "../../http/crud-routes.js";
import { createAgency } from "./commands/create-agency.js";
import { deleteAgency } from "./commands/delete-agency.js";
import { updateAgency } from "./commands/update-agency.js";
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
    list: findAgencies,
    get: getAgency,
    create: createAgency,
    update: updateAgency,
    remove: deleteAgency,
  });
};
