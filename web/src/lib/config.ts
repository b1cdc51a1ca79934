// Where this copy of the front end finds its API and issuer: `/config.json`, written per
// stage by `make package` and answered by the local stack on `make run` (docs/web.md).
// Read once at start-up, so one build serves every region.
export interface RuntimeConfig {
  /** API v1's base URL, e.g. https://api.example.gov.cn or http://127.0.0.1:8000 */
  apiBase: string;
  /** the OIDC issuer (authority) the front end signs in at */
  issuer: string;
  /** the portal's registered public client */
  clientId: string;
  /** the staff workbench's registered public client (served at /staff/ beside the portal) */
  staffClientId?: string;
}

let loaded: RuntimeConfig | undefined;

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  // Preloaded by index.html; the server answers it `no-store`, so it is never stale.
  const response = await fetchImpl("/config.json");
  if (!response.ok) throw new Error(`/config.json: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<RuntimeConfig>;
  for (const key of ["apiBase", "issuer", "clientId"] as const) {
    if (typeof body[key] !== "string" || !body[key]) throw new Error(`/config.json: ${key} is missing`);
  }
  loaded = body as RuntimeConfig;
  return loaded;
}

export function config(): RuntimeConfig {
  if (!loaded) throw new Error("config() before loadConfig()");
  return loaded;
}
