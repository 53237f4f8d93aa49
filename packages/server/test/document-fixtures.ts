import { zipSync } from "fflate";
import PDFDocument from "pdfkit";

/** A PDF made with pdfkit: one page per string, in Helvetica. */
export function pdfOf(pages: string[], options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, compress: false, ...options });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    for (const text of pages) {
      doc.addPage();
      // An empty string makes a page with a drawing and no text: a "scanned" page.
      if (text) doc.font("Helvetica").fontSize(12).text(text, 72, 72);
      else doc.rect(72, 72, 200, 100).fill("#888888");
    }
    doc.end();
  });
}

/**
 * A PDF written by hand (objects numbered from 1), with a correct cross-reference table, for
 * structures pdfkit will not write: document JavaScript, a lying page count.
 */
export function handmadePdf(objects: string[]): Buffer {
  let out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const page = (text: string, parent = "2 0 R") => [
  `<< /Type /Page /Parent ${parent} /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
  `<< /Length ${`BT /F1 12 Tf 72 720 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 12 Tf 72 720 Td (${text}) Tj ET\nendstream`,
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
];

/** A one-page PDF whose opening action, and a named script, are JavaScript that writes `marker`. */
export function pdfWithJavaScript(marker: string): Buffer {
  const js = `app.alert('pwned'); var fs = require('fs'); fs.writeFileSync('${marker}', 'ran'); globalThis.pwned = true;`;
  return handmadePdf([
    "<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    ...page("Scripted page text stays readable"),
    `<< /S /JavaScript /JS (${js.replace(/[()\\]/g, (c) => `\\${c}`)}) >>`,
  ]);
}

/**
 * A PDF whose page tree holds `count` pages, all the same page object listed again and again: a
 * few bytes per page, the cheap way to claim a huge document. (A /Count that lies about a short
 * tree is not enough: pdf.js counts the real pages then.)
 */
export function pdfClaimingPages(count: number): Buffer {
  return handmadePdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${"3 0 R ".repeat(count)}] /Count ${count} >>`,
    ...page("The same page, listed many times"),
  ]);
}

/** A minimal Word document (DOCX) whose pages are separated by explicit page breaks. */
export function docxOf(pages: string[][]): Buffer {
  const para = (t: string) =>
    `<w:p><w:r><w:t xml:space="preserve">${t.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</w:t></w:r></w:p>`;
  const body = pages
    .map((paras, i) => (i ? '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' : "") + paras.map(para).join(""))
    .join("");
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
  const enc = (s: string) => new TextEncoder().encode(s);
  return Buffer.from(
    zipSync({
      "[Content_Types].xml": enc(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      "word/document.xml": enc(xml),
    }),
  );
}

/** A ZIP archive that is not a Word document. */
export function plainZip(): Buffer {
  return Buffer.from(zipSync({ "notes.txt": new TextEncoder().encode("just notes") }));
}

/** A news story, as a wire service might write it. */
export const NEWS_STORY = `City reaches agreement with Justice Department on police reforms

The city council voted on Tuesday evening to approve a consent decree with the United States Department of Justice that will require sweeping changes to how the police department trains its officers, investigates complaints and uses force. The agreement follows a two year federal investigation that found a pattern of excessive force and unlawful stops, particularly in neighborhoods on the east side of the city.

Under the terms of the decree, the department must rewrite its use of force policy within six months, equip every patrol officer with a body worn camera and create a civilian oversight board with the power to review serious incidents. An independent monitor appointed by a federal judge will publish reports twice a year on the progress the department makes toward meeting each requirement.

The mayor said the agreement marks a turning point for the city. "Our residents deserve a police department that protects their rights and earns their trust every single day," she told reporters outside city hall after the vote. The police union criticized the cost of the reforms and warned that new reporting rules could pull officers away from patrol duties at a time when staffing is already short.

Community groups that pressed for the investigation welcomed the vote but said they would watch closely to make sure the promises are kept. Several residents who spoke during the public comment period described encounters with officers that they said left them afraid to call for help. The decree will take effect once it is approved by the federal court, which has scheduled a hearing for next month. Officials estimate that carrying out the reforms will cost the city about twelve million dollars over the first five years.`;

const SPIN: Record<string, string> = {
  city: "town",
  voted: "cast votes",
  approve: "endorse",
  require: "demand",
  sweeping: "broad",
  changes: "modifications",
  trains: "instructs",
  officers: "cops",
  found: "uncovered",
  particularly: "especially",
  neighborhoods: "districts",
  must: "has to",
  rewrite: "redraft",
  equip: "provide",
  create: "set up",
  power: "authority",
  serious: "grave",
  publish: "release",
  said: "stated",
  residents: "citizens",
  criticized: "slammed",
  warned: "cautioned",
  welcomed: "applauded",
  described: "recounted",
  afraid: "scared",
  estimate: "reckon",
};

/** The story "reworded" the way a content-spinning site does it: words swapped for synonyms. */
export function spun(text: string): string {
  return text.replace(/[A-Za-z]+/g, (w) => SPIN[w] ?? w);
}

/** A police consent decree of another city, in the usual form but with its own text. */
export const OTHER_DECREE = `IN THE UNITED STATES DISTRICT COURT FOR THE DISTRICT OF NEW CASCADIA
UNITED STATES OF AMERICA, Plaintiff, v. CITY OF RIVERPORT, Defendant.
SETTLEMENT AGREEMENT AND PROPOSED ORDER

I. INTRODUCTION
1. The City of Riverport and the Riverport Police Bureau commit to constitutional and effective policing that respects the dignity of every person who lives in, works in or visits Riverport.
2. This Agreement resolves the investigation opened under 34 U.S.C. 12601 into allegations that Bureau officers used force against people in mental health crisis without need and stopped drivers on the basis of race.

II. DEFINITIONS
3. "Crisis Intervention Team" means the specially trained officers who answer calls involving people in behavioral health crisis.
4. "Reportable force" means any physical coercion beyond unresisted handcuffing, including the pointing of a firearm at a person.

III. CRISIS RESPONSE
5. Within 180 days the Bureau will staff a Crisis Intervention Team on every shift in each precinct, drawing on volunteers who have completed forty hours of instruction developed with local mental health providers.
6. Dispatchers will be trained to identify calls that involve a behavioral health crisis and to route them to the Team or to the county mobile crisis unit when no weapon is reported.
7. The City will fund a twenty four hour crisis hotline operated by a community provider and will publish quarterly data on the calls diverted from police response.

IV. USE OF FORCE
8. Officers will use de-escalation techniques whenever safe and feasible, and will give a verbal warning before using an electronic control weapon except where doing so would endanger an officer or another person.
9. Supervisors will respond to the scene of every use of reportable force, interview witnesses, collect video and complete a written review within ten days.
10. A Force Review Board chaired by an assistant chief will examine every serious use of force and every in-custody death, and will refer policy and training lessons to the Training Division.

V. STOPS, SEARCHES AND BIAS-FREE POLICING
11. Officers will document every vehicle and pedestrian stop, including the reason for the stop, the perceived race and ethnicity of the person stopped, whether a search occurred and its result.
12. The Bureau will analyze stop data annually with a qualified independent researcher and publish the analysis on its website.
13. Consent searches will require written or recorded consent after the officer explains that the person may refuse.

VI. ACCOUNTABILITY
14. The Independent Police Review office will receive complaints in person, online, by telephone and through community partners, in English, Spanish, Vietnamese and Russian.
15. Investigations of misconduct complaints will be completed within 180 days, and findings will be sent in writing to the complainant.

VII. COMPLIANCE OFFICER AND COMMUNITY LIAISON
16. Instead of a court-appointed monitor, the Parties will jointly select a Compliance Officer and Community Liaison who will hold town hall meetings each quarter and report on the City's progress every six months.
17. The Agreement may be terminated when the City has maintained substantial compliance with all of its provisions for one full year.

SO ORDERED this day, United States District Judge.`;
