// The court calendar, deadline occurrences (met, waived, extended, assigned) and ICS feeds.
export { calendarRoutes } from "./calendar.routes.js";
