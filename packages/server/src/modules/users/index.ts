/** Users: the accounts administrators manage (creation, role, deactivation, password reset). */
export { createUser, type PreparedPassword, preparePassword } from "./commands/create-user.js";
export { resetPassword } from "./commands/reset-password.js";
export { updateUser } from "./commands/update-user.js";
export { countUsers, getUser, listUsers } from "./queries.js";
export { userRoutes } from "./users.routes.js";
