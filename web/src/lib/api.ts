// The API as the front end calls it: the generated client (./api/client.ts) with the signed-in
// user's access token, Chinese messages (Accept-Language) and errors turned into ApiError, so
// a page shows the API's own message, next to the field it names, with the request id.
import { createApiClient, type ApiClient, type Schemas } from "../api/client";
import { config } from "./config";

export type { Schemas } from "../api/client";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

let client: ApiClient | undefined;
let tokenSource: () => Promise<string | undefined> = async () => undefined;
let language = "zh-CN";

export function setTokenSource(source: () => Promise<string | undefined>): void {
  tokenSource = source;
}

export function setLanguage(locale: string): void {
  language = locale;
}

export function api(): ApiClient {
  if (!client) {
    client = createApiClient({ baseUrl: config().apiBase, accessToken: () => tokenSource() });
    client.use({
      onRequest({ request }) {
        request.headers.set("Accept-Language", language === "en" ? "en" : "zh-CN");
        return request;
      },
    });
  }
  return client;
}

/** An answer's data, or ApiError with the API's code, message, field and request id. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, "network_error", "无法连接服务，请检查网络后重试", undefined, undefined);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = error as Partial<Schemas["Error"]> | undefined;
  const requestId = body?.requestId ?? response.headers.get("X-Request-Id") ?? undefined;
  throw new ApiError(
    response.status,
    body?.error?.code ?? "http_" + response.status,
    body?.error?.message ?? `服务暂时不可用（HTTP ${response.status}）`,
    body?.error?.field ?? undefined,
    requestId ?? undefined,
  );
}
