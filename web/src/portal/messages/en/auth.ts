export default { signingIn: "Signing in" };
