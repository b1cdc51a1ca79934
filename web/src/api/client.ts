// The typed client of API v1: openapi-fetch over the types openapi-typescript generates
// from the contract (schema.d.ts; `npm run generate` remakes it, see docs/api.md). Every
// path, parameter, body and answer is checked by the compiler against the document.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, operations, paths } from "./schema";
export type Schemas = components["schemas"];
// Answers typed as their JSON representation: the client's fetch sends `Accept: */*`,
// which the API answers with JSON (a route that also serves a page, such as a license's
// status address, gives it only to an Accept that prefers text/html).
export type ApiClient = Client<paths, "application/json">;

export interface ApiOptions {
  /** where API v1 is served: the stage's URL, or the local stack's (`make run`) */
  baseUrl: string;
  /** the caller's current OIDC access token, asked for on each request (it may have been
   * refreshed since the last); none: anonymous (public routes, X-Query-Password) */
  accessToken?: () => string | undefined | Promise<string | undefined>;
}

export function createApiClient({ baseUrl, accessToken }: ApiOptions): ApiClient {
  const client = createClient<paths, "application/json">({ baseUrl: baseUrl.replace(/\/+$/, "") });
  if (accessToken) {
    client.use({
      async onRequest({ request }) {
        const token = await accessToken();
        if (token) request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}
