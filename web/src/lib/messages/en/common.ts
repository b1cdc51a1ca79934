export default {
  skip: "Skip to main content",
  loading: "Loading…",
  retry: "Retry",
  requestId: "Request id",
  elderOn: "Large type",
  elderOff: "Standard",
  language: "中文",
  signIn: "Sign in",
  signOut: "Sign out",
  notFound: "Page not found",
  back: "Back to home",
  errorTitle: "Something went wrong",
};
