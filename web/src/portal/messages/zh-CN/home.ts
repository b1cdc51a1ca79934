export default { title: "首页", search: "搜索事项", placeholder: "输入事项名称、拼音首字母（如 spjy）或事项编码", go: "搜索" };
