// 数据共享: the registries (and the applicant's own records a form may be filled from: the
// last application, an e-license), the fields read of them, the rules of 秒批 — shared by
// the portal and the workbench (lib/dataLabels.ts).
export default {
  registry: { population: "人口库", legalPerson: "法人库", credit: "信用信息库", lastCase: "上次申请", license: "电子证照",
              history: "本事项办件记录", form: "申请表" },
  field: {
    population: { name: "姓名", gender: "性别", birthDate: "出生日期", age: "年龄",
                  registeredArea: "户籍地行政区划代码", registeredAddress: "户籍地址", status: "户籍状态" },
    legalPerson: { name: "单位名称", legalRepresentative: "法定代表人", registeredAddress: "住所",
                   registeredCapital: "注册资本（元）", registeredCapitalWan: "注册资本（万元）",
                   scope: "经营范围", establishedOn: "成立日期", status: "登记状态", companyType: "企业类型" },
    credit: { dishonest: "是否列入失信名单", flags: "信用标记" },
    history: { approved: "已获批准的同类申请（件）", open: "正在办理的同类申请（件）" },
  },
  fieldOf: "{registry}：{field}",
  standsIn: "{registry}记录（代替材料：{material}）",
  fromSource: "来自{source}",
  yes: "是",
  no: "否",
  none: "无数据",
  rules: {
    approved: "系统自动审批通过",
    referred: "已转人工审查",
    held: "符合",
    failed: "不符合",
    list: "核验的条件",
    inputs: "核验数据",
    why: "原因：{why}",
    expression: "规则表达式",
    notes: "说明",
    checkedAt: "核验时间：{at}",
    count: "共 {total} 项条件，符合 {held} 项，不符合 {failed} 项",
    sampled: "本件已被随机抽取，由监察人员复核。",
  },
};
