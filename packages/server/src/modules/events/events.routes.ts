import {
  CreateEventSchema,
  EventListQuerySchema,
  EventListSchema,
  EventSchema,
  UpdateEventSchema,
} from "@accord/domain";
import type { FastifyPluginAsync } from "fastify";
import { registerCrudRoutes } from "../../http/crud-routes.js";
import { createEvent } from "./commands/create-event.js";
import { deleteEvent } from "./commands/delete-event.js";
import { updateEvent } from "./commands/update-event.js";
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
    list: findEvents,
    get: getEvent,
    publicRead: true,
    create: createEvent,
    update: updateEvent,
    remove: deleteEvent,
  });
};
