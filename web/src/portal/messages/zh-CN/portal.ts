export default {
  site: "网上办事大厅",
  region: "深圳市",
  nav: "主导航",
  home: "首页",
  myCases: "我的办件",
  myLicenses: "我的证照",
  lookup: "办件查询",
  footer: "政务服务便民热线 12345",
  me: "我的",
};
