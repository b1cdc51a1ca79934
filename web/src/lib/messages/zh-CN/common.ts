export default {
  skip: "跳到主要内容",
  loading: "正在加载…",
  retry: "重试",
  requestId: "请求编号",
  elderOn: "长辈版",
  elderOff: "标准版",
  language: "English",
  signIn: "登录",
  signOut: "退出",
  notFound: "页面不存在",
  back: "返回首页",
  errorTitle: "出错了",
};
