// Sign-in with the region's OIDC issuer: authorization code + PKCE (oidc-client-ts), silent
// renew with the rotating refresh token, sign-out through the issuer's end-session. Tokens
// live in sessionStorage (this tab); nothing else of the user is kept by the front end.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { User, UserManager, WebStorageStateStore } from "oidc-client-ts";
import { config } from "./config";

let manager: UserManager | undefined;

export function userManager(): UserManager {
  if (!manager) {
    const { issuer, clientId } = config();
    const origin = window.location.origin;
    manager = new UserManager({
      authority: issuer,
      client_id: clientId,
      redirect_uri: `${origin}/callback`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: "code",
      scope: "openid profile offline_access",
      automaticSilentRenew: true,
      revokeTokensOnSignout: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }
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

  async function load(): Promise<void> {
    const um = userManager();
    user.value = await um.getUser();
    um.events.addUserLoaded((u) => { user.value = u; });
    um.events.addUserUnloaded(() => { user.value = null; });
    um.events.addSilentRenewError(() => { user.value = null; });
  }

  /** Off to the issuer's login page; back at `returnTo` afterwards. */
  async function signIn(returnTo: string): Promise<void> {
    await userManager().signinRedirect({ state: { returnTo } });
  }

  /** The issuer's answer at /callback: the path to go back to. */
  async function completeSignIn(): Promise<string> {
    const signed = await userManager().signinRedirectCallback();
    user.value = signed;
    const state = signed.state as { returnTo?: string } | undefined;
    return state?.returnTo && state.returnTo.startsWith("/") ? state.returnTo : "/";
  }

  /** The issuer's end-session (which ends the refresh tokens too); should the issuer be
   * unreachable, the tokens are at least forgotten here. */
  async function signOut(): Promise<void> {
    try {
      await userManager().signoutRedirect();
    } catch (error) {
      console.error("sign-out at the issuer failed", error);
      await userManager().removeUser();
      user.value = null;
    }
  }

  async function accessToken(): Promise<string | undefined> {
    const current = await userManager().getUser();
    if (current && !current.expired) return current.access_token;
    if (current?.refresh_token) {
      try {
        return (await userManager().signinSilent())?.access_token;
      } catch {
        user.value = null;
      }
    }
    return undefined;
  }

  return { user, signedIn, profile, load, signIn, completeSignIn, signOut, accessToken };
});
