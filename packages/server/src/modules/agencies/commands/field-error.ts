import { appError } from "../../../context/app-error.js";

/** A 400 about one field of the request (a reference to a record that does not exist, say). */
export const fieldError = (path: string, message: string) =>
  appError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });
