import { readFileSync } from "node:fs";
import { appError } from "../../context/app-error.js";
import { findUp } from "../../db/open.js";

/**
 * The list a new password is checked against (reliability check A1): the entries of at least 12
 * characters of SecLists' million most common passwords (data/passwords/, with its source in
 * data/SOURCES.md), compared without regard to case: "Qwerty123456" is as guessable as
 * "qwerty123456". Read once, on the first password set.
 */
const LIST = "data/passwords/common-passwords.txt";

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  if (!common) {
    const path = findUp(LIST);
    if (!path) throw new Error(`The common-password list (${LIST}) was not found next to the server`);
    common = new Set(
      readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => line.toLowerCase()),
    );
  }
  return common;
}

/** Whether a password is on the common-password list (whatever its case). */
export const isCommonPassword = (password: string): boolean => commonPasswords().has(password.toLowerCase());

/**
 * Refuses (400, the field at `path`) a password chosen by a person that is on the common-password
 * list. Generated passwords are never checked: they are random.
 */
export function refuseCommonPassword(password: string, path: string): void {
  if (isCommonPassword(password)) {
    throw appError(
      "validation_failed",
      "This password is on a list of commonly used passwords that attackers try first: choose another",
      { errors: [{ path, message: "A commonly used password: choose another" }] },
    );
  }
}
