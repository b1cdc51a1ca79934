// Uploading a material as the API asks: the browser computes the file's SHA-256 (Web
// Crypto), declares it (POST /materials: name, type, size, hash, the catalogue material it
// is for), then posts the file to the presigned form it gets back — straight to the
// region's bucket, with progress. The same file declared again is stored already: no
// upload. The material is `pending` until the bucket's check marks it `stored`.
import { api, unwrap, ApiError, type Schemas } from "./api";

export type StoredMaterial = Schemas["StoredMaterial"];
type ContentType = Schemas["MaterialUpload"]["contentType"];

export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Post a presigned form (every field as given, the file last) with upload progress. */
export function postForm(url: string, fields: Record<string, string>, file: Blob,
                         onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(request.status, "upload_failed",
                            `文件上传失败（HTTP ${request.status}），请重试`, "file", undefined));
      }
    };
    request.onerror = () => reject(new ApiError(0, "upload_failed", "文件上传失败，请检查网络后重试",
                                                "file", undefined));
    request.send(form);
  });
}

export interface UploadOptions {
  /** the catalogue material the file is for (e.g. 食品安全管理制度文本) */
  material?: string;
  /** a company the caller acts for (its USCC); default the caller */
  holder?: string;
  onProgress?: (fraction: number) => void;
}

export async function uploadMaterial(file: File, options: UploadOptions = {}): Promise<StoredMaterial> {
  const onProgress = options.onProgress ?? (() => undefined);
  onProgress(0);
  const body: Schemas["MaterialUpload"] = {
    name: file.name,
    contentType: (file.type || "application/octet-stream") as ContentType,
    size: file.size,
    sha256: await sha256Hex(file),
    ...(options.material ? { material: options.material } : {}),
    ...(options.holder ? { holder: options.holder } : {}),
  };
  const answer = await unwrap(api().POST("/materials", { body }));
  // The same file declared again is the material stored before, for what it was first
  // declared for: the API would refuse it for another catalogue material, so say so now.
  if (options.material && answer.material && answer.material !== options.material) {
    throw new ApiError(422, "material_not_accepted",
                       `该文件已作为「${answer.material}」上传，不能再用于「${options.material}」，请上传其他文件`,
                       "file", undefined);
  }
  if (answer.upload) await postForm(answer.upload.url, answer.upload.fields, file, onProgress);
  else onProgress(1);
  const { upload: _upload, ...material } = answer;
  return material;
}

/** The material once the bucket's check has run (stored or rejected), asked for a few times. */
export async function settledMaterial(materialId: string, tries = 20, pauseMs = 500): Promise<StoredMaterial> {
  let last: StoredMaterial | undefined;
  for (let i = 0; i < tries; i++) {
    last = await unwrap(api().GET("/materials/{materialId}", { params: { path: { materialId } } }));
    if (last.state !== "pending") return last;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return last as StoredMaterial;
}
