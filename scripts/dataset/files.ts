/** Where the dataset's source files and its output live. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SOURCE_FILES = {
  marshall: "marshallproject_doj14141_doj_data.csv",
  dojList: "doj_all_authorized_14141_LEA_investigations_2014-07-02.txt",
  dojListPdf: "doj_all_authorized_14141_LEA_investigations_2014-07-02.pdf",
  compiled: "compiled_police_pattern_or_practice_cases.csv",
  policy: "policy_timeline.csv",
  monitoring: "monitoring_facts.csv",
  collaborativeReform: "cops_collaborative_reform_sites.csv",
  jagAwards: "doj_jag_cops_awards_compiled.csv",
  letters1373: "doj_1373_jurisdiction_letters_2017-2018.csv",
  jagLitigation: "jag_immigration_conditions_litigation.csv",
  jagTimeline: "jag_immigration_conditions_timeline.csv",
  grantRounds: "doj_grant_rounds_national_compiled.csv",
  taskForces: "federal_task_forces.csv",
  pspSites: "psp_sites.csv",
  psn: "psn_relaunch.csv",
  criTac: "cri_tac.csv",
  crProgramEvents: "cops_collaborative_reform_program_events.csv",
  ocrReviews: "ocr_compliance_reviews.csv",
  obligations: "doj_program_obligations.csv",
} as const;

/** Where each file lives under ../shared/data (for --refresh). */
export const SHARED_PATHS: Record<keyof typeof SOURCE_FILES, string> = {
  marshall: "agreements/marshallproject_doj14141_doj_data.csv",
  dojList: "agreements/doj_all_authorized_14141_LEA_investigations_2014-07-02.txt",
  dojListPdf: "agreements/doj_all_authorized_14141_LEA_investigations_2014-07-02.pdf",
  compiled: "agreements/compiled_police_pattern_or_practice_cases.csv",
  policy: "policy/policy_timeline.csv",
  monitoring: "monitoring/monitoring_facts.csv",
  collaborativeReform: "technical_assistance/cops_collaborative_reform_sites.csv",
  jagAwards: "grants/doj_jag_cops_awards_compiled.csv",
  letters1373: "grants/doj_1373_jurisdiction_letters_2017-2018.csv",
  jagLitigation: "grants/jag_immigration_conditions_litigation.csv",
  jagTimeline: "grants/jag_immigration_conditions_timeline.csv",
  grantRounds: "grants/doj_grant_rounds_national_compiled.csv",
  taskForces: "activities/federal_task_forces.csv",
  pspSites: "activities/psp_sites.csv",
  psn: "activities/psn_relaunch.csv",
  criTac: "activities/cri_tac.csv",
  crProgramEvents: "technical_assistance/cops_collaborative_reform_program_events.csv",
  ocrReviews: "activities/ocr_compliance_reviews.csv",
  obligations: "activities/doj_program_obligations.csv",
};

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DEFAULT_SOURCES_DIR = path.join(ROOT, "data", "sources");
export const BUNDLE_PATH = path.join(ROOT, "data", "bundle", "registry.json");
