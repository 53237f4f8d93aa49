/**
 * The sources columns of the CSV files: `;`-separated web addresses (cited by their publisher)
 * and repo:… path:… references.
 */
import type { Source } from "@accord/domain";

const host = (h: string) => new RegExp(`^(.+\\.)?${h.replaceAll(".", "\\.")}/`);
/** Publisher names for the web addresses the sources cite (matched on host + path); others: host name. */
const PUBLISHERS: [RegExp, string][] = [
  [
    /scribd\.com\/document\/336476766\//,
    "DOJ Civil Rights Division, Special Litigation Section police fact sheet, 2017-01-13 (Scribd copy)",
  ],
  [host("cops.usdoj.gov"), "U.S. Department of Justice, COPS Office"],
  [host("justice.gov"), "U.S. Department of Justice"],
  [host("clearinghouse.net"), "Civil Rights Litigation Clearinghouse"],
  [host("courtlistener.com"), "CourtListener"],
  [host("cbsnews.com"), "CBS News"],
  [host("baltimoresun.com"), "The Baltimore Sun"],
  [host("courant.com"), "Hartford Courant"],
  [host("wypr.org"), "WYPR"],
  [host("consentdecree.baltimorecity.gov"), "City of Baltimore, consent decree site"],
  [host("usatoday.com"), "USA Today"],
  [host("startribune.com"), "Star Tribune"],
  [host("minneapolismn.gov"), "City of Minneapolis"],
  [host("mn.gov"), "Minnesota Department of Human Rights"],
  [host("lpm.org"), "Louisville Public Media"],
  [host("latimes.com"), "Los Angeles Times"],
  [host("washingtonpost.com"), "The Washington Post"],
  [host("seattletimes.com"), "The Seattle Times"],
  [host("law360.com"), "Law360"],
  [host("masslive.com"), "MassLive"],
  [host("bostonherald.com"), "Boston Herald"],
  [host("talkingpointsmemo.com"), "Talking Points Memo"],
  [host("cpdmonitoringteam.com"), "Chicago Independent Monitoring Team"],
  [host("cleveland.com"), "cleveland.com"],
  [host("fergusonmonitor.com"), "Ferguson Monitor"],
  [host("themarshallproject.org"), "The Marshall Project"],
];

function repoCitation(repo: string, rest: string): string {
  const label = repo === "themarshallproject/doj14141" ? "The Marshall Project, doj14141" : repo;
  return `${label}, ${rest}`;
}

/** One entry of a sources column: a URL (with an optional trailing remark) or a repo:… path:… reference. */
export function parseSourceEntry(entry: string): Source {
  const text = entry.trim();
  const repo = /^repo:(\S+)\s+path:(.+)$/.exec(text);
  if (repo) return { citation: repoCitation(repo[1] as string, (repo[2] as string).trim()) };
  const url = /^(https?:\/\/\S+)(.*)$/.exec(text);
  if (url) {
    const address = (url[1] as string).replaceAll("&amp;", "&");
    const remark = (url[2] as string).trim();
    const hostname = new URL(address).hostname.replace(/^www\./, "");
    const parsed = new URL(address);
    const publisher = PUBLISHERS.find(([re]) => re.test(`${parsed.hostname}${parsed.pathname}`))?.[1];
    const source: Source = { citation: publisher ?? hostname, url: address };
    if (remark) source.note = remark;
    return source;
  }
  return { citation: text };
}

/** A `;`-separated sources column. Only a `;` followed by an address or repo: starts a new entry. */
export function parseSourcesColumn(column: string): Source[] {
  return column
    .split(/\s*;\s*(?=https?:\/\/|repo:)/)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(parseSourceEntry);
}
