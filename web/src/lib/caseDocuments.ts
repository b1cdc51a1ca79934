// A case's formal documents (文书) as both front ends show them: the list (GET
// /cases/{caseNo}/documents), reloaded when the case changes, the tone of each state, and
// a document's PDF saved as a file the person keeps.
import { ref, watch, type Ref } from "vue";
import { api, unwrap, type Schemas } from "./api";
import { saveBlob } from "./download";

export const DOCUMENT_TONES: Record<string, "success" | "warning" | "danger"> = {
  valid: "success", superseded: "warning", annulled: "danger" };

export function useCaseDocuments(caseNo: () => string, changed: () => unknown): {
  items: Ref<Schemas["DocumentSummary"][]>; error: Ref<unknown>; load: () => Promise<void>;
} {
  const items = ref<Schemas["DocumentSummary"][]>([]);
  const error = ref<unknown>(null);
  async function load(): Promise<void> {
    error.value = null;
    try {
      items.value = (await unwrap(api().GET("/cases/{caseNo}/documents", {
        params: { path: { caseNo: caseNo() } } }))).items;
    } catch (cause) {
      error.value = cause;
    }
  }
  watch(() => [caseNo(), changed()], load, { immediate: true });
  return { items, error, load };
}

/** The document as an A4 PDF (GET …/print.pdf with the signed-in user's token), saved. */
export async function savePdf(caseNo: string, doc: Schemas["DocumentSummary"]): Promise<void> {
  const blob = await unwrap(api().GET("/cases/{caseNo}/documents/{documentId}/print.pdf", {
    params: { path: { caseNo, documentId: doc.documentId } },
    headers: { Accept: "application/pdf" }, parseAs: "blob" })) as unknown as Blob;
  saveBlob(blob, `${doc.title}-${doc.documentId}.pdf`);
}
