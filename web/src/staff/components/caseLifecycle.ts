// Where a case may still be revoked (撤销 15), read from the one table that states the
// lifecycle for people: docs/glossary.md's case statuses and their "may go to" column. The
// API does not say (GET /cases/{caseNo} carries no allowed actions), and
// tests/unit/test_docs.py checks that table against chalicelib/domain/lifecycle.py's
// TRANSITIONS, so the workbench and the server cannot drift apart unnoticed. The API still
// decides: a revocation from anywhere else answers 409 illegal_transition.
import glossary from "../../../../docs/glossary.md?raw";

const REVOKED = 15;

/** Each status's "may go to" list from the glossary's status table
 * (`| code | 中文 | meaning | may go to |`). */
export function transitionsFrom(markdown: string): Map<number, number[]> {
  const table = new Map<number, number[]>();
  for (const row of markdown.matchAll(/^\|\s*(\d+)\s*\|[^|\n]*\|[^|\n]*\|([^|\n]*)\|\s*$/gm)) {
    const next = (row[2] ?? "").split(",").map((code) => Number(code.trim())).filter(Number.isInteger);
    table.set(Number(row[1]), next);
  }
  return table;
}

const TRANSITIONS = transitionsFrom(glossary);

/** Statuses from which the lifecycle leads to 撤销 (15) — open, or concluded with approval. */
export function caseRevocable(status: number): boolean {
  return TRANSITIONS.get(status)?.includes(REVOKED) ?? false;
}
