import { describe, expect, it } from "vitest";
import { redact, redactText, type RedactionKind } from "./redact";

type Case = [input: string, expected: string, kinds: RedactionKind[]];

function check([input, expected, kinds]: Case) {
  const result = redact(input);
  expect(result.text).toBe(expected);
  expect(result.redactions.map((r) => r.kind)).toEqual(kinds);
  expect(redactText(input)).toBe(expected);
  expect(redact(result.text).text).toBe(result.text);
}

describe("redact: resident ID cards", () => {
  it.each<Case>([
    ["身份证号110101199003071233，请核实", "身份证号1****************3，请核实", ["id_card"]],
    ["证件 11010519491231109X", "证件 1****************X", ["id_card"]],
    ["证件 11010519491231109x。", "证件 1****************x。", ["id_card"]],
    ["440306198512310022", "4****************2", ["id_card"]],
    ["身份证：440306 19851231 0022", "身份证：4***** ******** ***2", ["id_card"]],
    ["旧证 110101900307123 已作废", "旧证 1*************3 已作废", ["id_card"]],
  ])("%s", (...c) => check(c));

  it.each([
    ["check digit wrong", "编号110101199003071234"],
    ["impossible date (1998-02-29)", "单号510108199802291004"],
    ["unknown province code", "流水99010119900307100X"],
    ["15 digits with no valid date", "订单号110101901345123"],
    ["longer than an ID", "1101011990030712331"],
  ])("leaves an order number alone: %s", (_why, input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe("redact: bank cards", () => {
  it.each<Case>([
    ["您尾号的卡 6222021234567890128 已冻结", "您尾号的卡 ***************0128 已冻结", ["bank_card"]],
    ["请还款至 6228 4800 1234 5678 94", "请还款至 **** **** **** **78 94", ["bank_card"]],
    ["VISA 4367-8801-2345-6789-07", "VISA ****-****-****-**89-07", ["bank_card"]],
    ["信用卡5222080001234569逾期", "信用卡************4569逾期", ["bank_card"]],
    // Not Luhn-valid, but named as a card.
    ["银行卡号：6222021234567890123", "银行卡号：***************0123", ["bank_card"]],
    ["账号 1234 5678 9012 3456", "账号 **** **** **** 3456", ["bank_card"]],
  ])("%s", (...c) => check(c));

  it("keeps order numbers: Luhn-invalid, or Luhn-valid after 订单号", () => {
    for (const input of ["订单号6222021234567890123", "订单号：6222021234567890128", "运单 4367880123456789070", "交易流水 2024031512345678"]) {
      expect(redactText(input)).toBe(input);
    }
  });

  it("keeps the last 4 only: a 尾号 of four digits is already what we would keep", () => {
    expect(redactText("您尾号1234的银行卡")).toBe("您尾号1234的银行卡");
  });
});

describe("redact: phone numbers", () => {
  it.each<Case>([
    ["联系13812345678处理", "联系138******78处理", ["phone"]],
    ["+8613812345678", "+86138******78", ["phone"]],
    ["电话 +86 138-1234-5678", "电话 +86 138-****-**78", ["phone"]],
    ["0086 139 1234 5678", "0086 139 **** **78", ["phone"]],
    ["8615912345678", "86159******78", ["phone"]],
    ["座机021-62345678", "座机021-******78", ["phone"]],
    ["(0755)23456789 或 010 8765432", "(0755)******89 或 010 *****32", ["phone", "phone"]],
    ["13812345678/19987654321", "138******78/199******21", ["phone", "phone"]],
  ])("%s", (...c) => check(c));

  it.each([
    "客服95588，热线400-820-8820，或拨打 4008208820 与 800-810-8888",
    "【某银行】106900001234 发送",
    "已脱敏 138****1234，请勿回复",
    "12345政务服务便民热线，12306 订票",
    "验证码 138123，5分钟内有效",
  ])("keeps service numbers and masked numbers: %s", (input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe("redact: amounts tied to a name", () => {
  it.each<Case>([
    ["尊敬的刘伟先生：欠款3,280.50元", "尊敬的刘*先生：欠款***元", ["name", "amount"]],
    ["借款人王芳，人民币12000元", "借款人王*，人民币***元", ["name", "amount"]],
    ["刘伟，您好，账单¥5,000", "刘*，您好，账单¥***", ["name", "amount"]],
    ["机主李强欠5000块", "机主李*欠***块", ["name", "amount"]],
    ["Dear Mr Liu, RMB 3,000 is due", "Dear Mr L**, RMB *** is due", ["name", "amount"]],
    ["Hi John Smith, you owe $500.", "Hi J*** S****, you owe $***.", ["name", "amount"]],
    ["刘某某：逾期金额：4500.00，本金共计 3万元", "刘**：逾期金额：***，本金共计 ***万元", ["name", "amount", "amount"]],
    ["张某，应还 1,200 RMB，￥300 罚息", "张*，应还 *** RMB，￥*** 罚息", ["name", "amount", "amount"]],
  ])("%s", (...c) => check(c));

  it("keeps amounts when no person is named", () => {
    for (const input of ["满100减20，最高立减50元", "您的账户余额为3,280.50元", "本月话费¥58.00，流量包5元/GB", "Get $5 off orders over $50"]) {
      expect(redactText(input)).toBe(input);
    }
  });

  it("keeps dates, days and percentages next to a debt word", () => {
    expect(redactText("尊敬的刘伟：欠款已逾期30天，利息5%，还款日2026年3月15日")).toBe("尊敬的刘*：欠款已逾期30天，利息5%，还款日2026年3月15日");
  });
});

describe("redact: names", () => {
  it.each<Case>([
    ["刘某某 因欠款逾期", "刘** 因欠款逾期", ["name"]],
    ["通知刘某：请回电", "通知刘*：请回电", ["name"]],
    ["刘伟先生，请回电", "刘*先生，请回电", ["name"]],
    ["尊敬的刘伟", "尊敬的刘*", ["name"]],
    ["尊敬的张小明，您好", "尊敬的张**，您好", ["name"]],
    ["刘伟，您好！", "刘*，您好！", ["name"]],
    ["刘伟您在本平台的借款已逾期", "刘*您在本平台的借款已逾期", ["name"]],
    ["致刘伟：", "致刘*：", ["name"]],
    ["您的家人张小明在我司有借款", "您的家人张**在我司有借款", ["name"]],
    ["借款人王芳已逾期", "借款人王*已逾期", ["name"]],
    ["机主李强欠款未还", "机主李*欠款未还", ["name"]],
    ["紧急联系人：赵丽颖", "紧急联系人：赵**", ["name"]],
    ["您是王芳的紧急联系人", "您是王*的紧急联系人", ["name"]],
    ["王芳：你好，我是你的同事李明", "王*：你好，我是你的同事李*", ["name", "name"]],
    ["收件人：张三 电话：13812345678", "收件人：张* 电话：138******78", ["name", "phone"]],
    ["欧阳娜娜女士您好", "欧阳**女士您好", ["name"]],
    ["尊敬的司马光先生", "尊敬的司马*先生", ["name"]],
    ["感谢刘伟先生的配合", "感谢刘*先生的配合", ["name"]],
    ["尊敬的刘＊＊", "尊敬的刘**", ["name"]],
    ["Dear Mr Liu Wei,", "Dear Mr L** W**,", ["name"]],
    ["Hi John Smith, ", "Hi J*** S****, ", ["name"]],
    ["Contact Mr. Smith today", "Contact Mr. S**** today", ["name"]],
    ["Hello Mrs O'Brien-Jones", "Hello Mrs O'*****-*****", ["name"]],
  ])("%s", (...c) => check(c));

  it("keeps bare surnames with an honorific and already-masked names", () => {
    for (const input of ["尊敬的王小姐，您好", "刘先生您好", "王总您好", "向王先生问好", "刘** 您好", "尊敬的刘*先生"]) {
      expect(redactText(input)).toBe(input);
    }
  });
});

describe("redact: email and plates", () => {
  it.each<Case>([
    ["邮箱 liuwei@example.com", "邮箱 l***@example.com", ["email"]],
    ["write to wei.liu+loan@mail.example.cn.", "write to w***@mail.example.cn.", ["email"]],
    ["13812345678@163.com", "1***@163.com", ["email"]],
    ["车牌京A12345", "车牌京A*****", ["plate"]],
    ["粤B·D12345 违停", "粤B·****** 违停", ["plate"]],
    ["苏E 12345 和 沪AD12345", "苏E ***** 和 沪A******", ["plate", "plate"]],
  ])("%s", (...c) => check(c));
});

describe("redact: the seed message", () => {
  it("masks the name, the phone number and the amount", () => {
    const input = "刘某某 因欠款逾期,我们工作人员已驱车前往您居住地，请尽快联系 13812345678 处理欠款3,280.50元";
    const { text, redactions } = redact(input);
    expect(text).toBe("刘** 因欠款逾期,我们工作人员已驱车前往您居住地，请尽快联系 138******78 处理欠款***元");
    expect(redactions).toEqual([
      { kind: "name", start: 0, end: 3 },
      { kind: "phone", start: input.indexOf("138"), end: input.indexOf("138") + 11 },
      { kind: "amount", start: input.indexOf("3,280"), end: input.length },
    ]);
  });
});

/** Realistic messages with nothing of the previous owner's in them: they must come out unchanged. */
const UNCHANGED = [
  "【王者荣耀】周末福利来袭，登录即送皮肤！退订回T",
  "【美团】满100减20，周末下单更优惠，黄金会员再享9折",
  "【中国移动】尊敬的客户，您好！您本月话费账单已出，截至2026年3月15日您的余额为58.20元。",
  "【京东】您的验证码为482913，5分钟内有效，请勿泄露。",
  "【顺丰速运】快递员将于14:30-16:00派送，运单号SF1234567890123，客服95338",
  "【招商银行】您的订单号6222021234567890123已提交，客服热线95555",
  "【12306】订单E123456789,您已购3月15日G1234次列车，请按时乘车。",
  "社区通知：周六上午9:00张贴停水公告，请大家提前储水。",
  "很高兴为您服务，如有疑问请拨打400-820-8820。",
  "水果店今日特价：李子9.9元/斤，黄金百香果12元。",
  "商场一楼陈列了新款手机，欢迎周末到店体验。",
  "尊敬的会员：您的积分2000分将于2026年12月31日到期。",
  "尊敬的王者荣耀玩家，新赛季已开启！",
  "亲爱的用户，您的账号于2026-03-15 14:30在新设备登录，如非本人操作请修改密码。",
  "【平安银行】尊敬的客户，您申请的贷款最高额度50000元，点击领取。",
  "Your verification code is 482913. Do not share it. Dear Customer, thank you.",
  "Hello World! Get $5 off orders over $50 this weekend.",
  "【高德地图】您的行程已结束，本次车费32.50元。",
  "【华为】尊敬的华为用户，您的设备保修将于2026年5月1日到期。",
  "会议定于2026年3月15日14:30举行，地点：高新区科技园A座302。",
];

describe("redact: false positives", () => {
  it.each(UNCHANGED.map((t) => [t]))("leaves %s unchanged", (input) => {
    expect(redact(input)).toEqual({ text: input, redactions: [] });
  });
});

const POSITIVES = [
  "刘某某 因欠款逾期,我们工作人员已驱车前往您居住地，请尽快联系 13812345678 处理欠款3,280.50元",
  "尊敬的刘伟先生：您于2025年在本平台借款人民币12000元，已逾期90天，身份证110101199003071233，还款账户6228 4800 1234 5678 94。",
  "【某某金融】您的家人张小明（电话139-1234-5678，车牌粤B·D12345）欠款5000块，请转告其联系021-62345678。",
  "Dear Mr Liu Wei, your loan of $500 is overdue. Email liuwei@example.com or call +86 138 1234 5678.",
];

describe("redact: offsets and idempotence", () => {
  it.each(POSITIVES.map((t) => [t]))("reports sorted, disjoint spans of the original text: %s", (input) => {
    const { text, redactions } = redact(input);
    expect(redactions.length).toBeGreaterThan(0);
    let prevEnd = 0;
    for (const r of redactions) {
      expect(r.start).toBeGreaterThanOrEqual(prevEnd);
      expect(r.end).toBeGreaterThan(r.start);
      expect(r.end).toBeLessThanOrEqual(input.length);
      prevEnd = r.end;
    }
    // The text before the first span and after the last is copied verbatim.
    expect(text.startsWith(input.slice(0, redactions[0]?.start))).toBe(true);
    expect(text.endsWith(input.slice(redactions[redactions.length - 1]?.end))).toBe(true);
  });

  it("replaces only inside the spans (kinds that mask character for character)", () => {
    const input = "借款人王芳，身份证440306198512310022，卡号6222021234567890128，手机13812345678，座机0755-23456789，车牌京A12345。";
    const { text, redactions } = redact(input);
    expect(redactions.map((r) => r.kind)).toEqual(["name", "id_card", "bank_card", "phone", "phone", "plate"]);
    expect(text).toHaveLength(input.length);
    const inside = (i: number) => redactions.some((r) => i >= r.start && i < r.end);
    for (let i = 0; i < input.length; i++) if (!inside(i)) expect(text[i], `offset ${i}`).toBe(input[i]);
    for (const r of redactions) expect(text.slice(r.start, r.end)).not.toBe(input.slice(r.start, r.end));
    expect(redactions.map((r) => input.slice(r.start, r.end))).toEqual(["王芳", "440306198512310022", "6222021234567890128", "13812345678", "0755-23456789", "京A12345"]);
  });

  it.each(POSITIVES.map((t) => [t]))("is idempotent: %s", (input) => {
    const once = redactText(input);
    expect(redactText(once)).toBe(once);
    expect(redact(once).redactions).toEqual([]);
  });

  it("reports each span over the whole item, kept parts included", () => {
    const input = POSITIVES[1] ?? "";
    const kinds = redact(input).redactions.map((r) => [r.kind, input.slice(r.start, r.end)]);
    expect(kinds).toEqual([
      ["name", "刘伟"],
      ["amount", "人民币12000元"],
      ["id_card", "110101199003071233"],
      ["bank_card", "6228 4800 1234 5678 94"],
    ]);
  });

  it("is idempotent on random mixtures of the cases above", () => {
    const pieces = [...POSITIVES, ...UNCHANGED, "，", " ", "。", "尊敬的", "借款人", "先生", "您好", "元", "3000", "13812345678", "王", "刘伟", "*", "¥"];
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      let input = "";
      const count = 1 + (next() % 8);
      for (let k = 0; k < count; k++) input += pieces[next() % pieces.length];
      const once = redactText(input);
      expect(redactText(once), input).toBe(once);
    }
  });
});

describe("redact: long input", () => {
  it("handles a 2,000-character message quickly", () => {
    let input = "";
    for (let k = 0; input.length < 2000; k++) input += (k % 2 ? UNCHANGED : POSITIVES)[k % 4] ?? "";
    input = input.slice(0, 2000);
    const started = performance.now();
    const { text, redactions } = redact(input);
    const elapsed = performance.now() - started;
    expect(redactions.length).toBeGreaterThan(10);
    expect(text).not.toContain("13812345678");
    expect(elapsed).toBeLessThan(200);
  });

  it.each([
    ["digits", "1".repeat(2000)],
    ["surnames", "王".repeat(2000)],
    ["asterisks", "*".repeat(2000)],
    ["letters", "a".repeat(2000)],
    ["capitalised words", "Mr Liu ".repeat(300)],
    ["grouped digits", "1234 ".repeat(400)],
  ])("stays fast on degenerate input: %s", (_name, input) => {
    const started = performance.now();
    redact(input);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("full-width and zero-width characters", () => {
  it("masks numbers typed in full width or split by zero-width spaces, and leaves the rest as pasted", () => {
    expect(redactText("刘某某请联系１３８１２３４５６７８")).toBe("刘**请联系138******78");
    expect(redactText("联系 138\u200b1234\u200b5678 处理")).not.toContain("1234");
    expect(redactText("身份证１１０１０１１９９００３０７１２３３")).not.toMatch(/１９９００３０７|19900307/);
    expect(redactText("刘某某欠款５０００元，请于１２月５日前还清")).toBe("刘**欠款***元，请于１２月５日前还清");
  });

  it("stays idempotent on folded input", () => {
    const once = redactText("尊敬的刘伟先生：您尾号１２３４的卡欠款３，２８０元，电话１３９００００１１１１");
    expect(redactText(once)).toBe(once);
  });
});
