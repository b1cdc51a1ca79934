export default { signingIn: "正在登录" };
