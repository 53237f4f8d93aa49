import {
  CreateEventSchema,
  EventListQuerySchema,
  EventListSchema,
  EventSchema,
  UpdateEventSchema,
} from "@accord/domain";
import type { FastifyPluginAsync } from "fastify";
import { registerCrudRoutes } from "../../http/crud-routes.js";
import { createEvent, deleteEvent, updateEvent } from "./commands.js";
import { findEvents, getEvent } from "./queries.js";

export const eventRoutes: FastifyPluginAsync = async (app) => {
  registerCrudRoutes(app, {
    path: "events",
    noun: "event",
    schemas: {
      listQuery: EventListQuerySchema,
      list: EventListSchema,
      record: EventSchema,
      create: CreateEventSchema,
      update: UpdateEventSchema,
    },
    list: (query, scope) => findEvents(app.db, query, scope),
    get: (key, scope) => getEvent(app.db, key, false, scope),
    publicRead: true,
    create: createEvent,
    update: updateEvent,
    remove: deleteEvent,
  });
};
