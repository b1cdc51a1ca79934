// Sign-in with the region's OIDC issuer: authorization code + PKCE (oidc-client-ts), silent
// renew with the rotating refresh token, sign-out through the issuer's end-session. Tokens
// live in sessionStorage (this tab); application drafts in localStorage until sign-out.
// oidc-client-ts is loaded only when it is needed — a sign-in, its callback, or a tab that
// holds a signed-in user — so an anonymous visitor's first page ships without it.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import type { User, UserManager } from "oidc-client-ts";
import { config } from "./config";

let manager: Promise<UserManager> | undefined;

/** Which front end signs in: the portal (its client, at `/`) or the staff workbench (its own
 * client, at `/staff/`). Both are served from one origin; each keeps its own user. */
export interface AuthApp {
  /** the app's registered client id (config.json's `clientId` or `staffClientId`) */
  clientId: () => string;
  /** where the app lives: `/` or `/staff/` (its callback is `<base>callback`) */
  base: string;
}

let app: AuthApp = { clientId: () => config().clientId, base: "/" };

/** Before the first sign-in: which app this page is (the portal if never called). */
export function configureAuth(which: AuthApp): void {
  app = which;
  manager = undefined;
}

/** Whether this tab holds a signed-in user of this app (oidc-client-ts keeps it as
 * `oidc.user:<issuer>:<client id>`). */
function holdsUser(): boolean {
  const key = `oidc.user:${config().issuer}:${app.clientId()}`;
  return window.sessionStorage.getItem(key) !== null;
}

/** Only a path of this app: never `//host` or a full address (no open redirect). */
export function safeReturnPath(path: unknown): string {
  return typeof path === "string" && /^\/(?![/\\])/.test(path) ? path : "/";
}

/** What this browser kept of a user (application drafts, `onewindow.apply.<sub>.…`): gone at
 * sign-out, so the next person at a shared computer finds none of it. */
export function forgetLocalData(sub: string | undefined): void {
  if (!sub) return;
  for (const key of Object.keys(window.localStorage)) {
    if (key.startsWith(`onewindow.apply.${sub}.`)) window.localStorage.removeItem(key);
  }
}

export function userManager(): Promise<UserManager> {
  manager ??= import("oidc-client-ts").then(({ UserManager, WebStorageStateStore }) => {
    const { issuer } = config();
    const home = `${window.location.origin}${app.base}`;
    return new UserManager({
      authority: issuer,
      client_id: app.clientId(),
      redirect_uri: `${home}callback`,
      post_logout_redirect_uri: home,
      response_type: "code",
      scope: "openid profile offline_access",
      automaticSilentRenew: true,
      revokeTokensOnSignout: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  });
  return manager;
}

/** The profile claims the issuer releases to the front end (see docs/identity.md). */
export interface Profile {
  sub: string;
  name?: string;
  role?: string;
  dept?: string;
  acr?: string | number;
  acts_for?: { uscc: string; name: string }[];
}

export const useAuth = defineStore("auth", () => {
  const user = ref<User | null>(null);
  const signedIn = computed(() => !!user.value && !user.value.expired);
  const profile = computed(() => (user.value?.profile ?? null) as Profile | null);

  let listening = false;
  async function manage(): Promise<UserManager> {
    const um = await userManager();
    if (!listening) {
      listening = true;
      um.events.addUserLoaded((u) => { user.value = u; });
      um.events.addUserUnloaded(() => { user.value = null; });
      um.events.addSilentRenewError(() => { user.value = null; });
    }
    return um;
  }

  /** At start-up: the tab's signed-in user, if it holds one (else nothing is loaded). */
  async function load(): Promise<void> {
    if (!holdsUser()) return;
    user.value = await (await manage()).getUser();
  }

  /** Signed in now, renewing an expired access token with the refresh token first (a tab
   * left for more than 15 minutes): only when that fails must the person sign in again. */
  async function ensureSignedIn(): Promise<boolean> {
    if (signedIn.value) return true;
    await load();
    if (signedIn.value) return true;
    return !!(await accessToken()) && signedIn.value;
  }

  /** Off to the issuer's login page; back at `returnTo` afterwards. */
  async function signIn(returnTo: string): Promise<void> {
    await (await manage()).signinRedirect({ state: { returnTo: safeReturnPath(returnTo) } });
  }

  /** The issuer's answer at /callback: the path to go back to. */
  async function completeSignIn(): Promise<string> {
    const signed = await (await manage()).signinRedirectCallback();
    user.value = signed;
    return safeReturnPath((signed.state as { returnTo?: unknown } | undefined)?.returnTo);
  }

  /** The issuer's end-session (which ends the refresh tokens too); should the issuer be
   * unreachable, the tokens are at least forgotten here. */
  async function signOut(): Promise<void> {
    forgetLocalData(profile.value?.sub);
    const um = await manage();
    try {
      await um.signoutRedirect();
    } catch (error) {
      console.error("sign-out at the issuer failed", error);
      await um.removeUser();
      user.value = null;
    }
  }

  // One renewal at a time: the issuer rotates refresh tokens, and a spent one presented
  // again (two requests renewing at once) would end the whole session.
  let renewing: Promise<string | undefined> | null = null;

  async function accessToken(): Promise<string | undefined> {
    if (!holdsUser()) return undefined;
    const um = await manage();
    const current = await um.getUser();
    if (current && !current.expired) return current.access_token;
    if (!current?.refresh_token) return undefined;
    renewing ??= um.signinSilent()
      .then((renewed) => renewed?.access_token)
      .catch(() => { user.value = null; return undefined; })
      .finally(() => { renewing = null; });
    return renewing;
  }

  return { user, signedIn, profile, load, ensureSignedIn, signIn, completeSignIn, signOut, accessToken };
});
