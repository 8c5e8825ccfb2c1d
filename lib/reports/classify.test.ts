import { describe, expect, it } from "vitest";
import {
  CATEGORY_PRIORITY,
  CATEGORY_RULES,
  classifyMessage,
  detectPlatform,
  normalizeText,
  REPORT_CATEGORIES,
  smsSignature,
  type PlatformSignature,
  type ReportCategory,
} from "./classify";
import { LABELLED_MESSAGES } from "./__fixtures__/labelled-messages";

/**
 * The sandbox platforms of db/seed-data.ts, as the report form receives them (names as stored,
 * sandbox suffix included, so the normalisation is exercised too). Ids are the slugs.
 */
const REGISTRY: PlatformSignature[] = [
  { id: "linkup-chat", names: ["连信（沙盒）", "Linkup Chat (sandbox)"], senderIds: ["连信", "10690001001"] },
  { id: "moments-square", names: ["朋友广场（沙盒）", "Moments Square (sandbox)"], senderIds: ["朋友广场", "10690001002"] },
  { id: "short-clips", names: ["短影（沙盒）", "Short Clips (sandbox)"], senderIds: ["短影", "10690001003"] },
  { id: "swift-ride", names: ["快行出行（沙盒）", "Swift Ride (sandbox)"], senderIds: ["快行出行", "快行", "95001001"] },
  { id: "green-taxi", names: ["绿叶打车（沙盒）", "Green Taxi (sandbox)"], senderIds: ["绿叶打车", "绿叶", "95001002"] },
  { id: "daily-mall", names: ["每日商城（沙盒）", "Daily Mall (sandbox)"], senderIds: ["每日商城", "10690002001"] },
  { id: "bargain-bazaar", names: ["拼好集（沙盒）", "Bargain Bazaar (sandbox)"], senderIds: ["拼好集", "10690002002"] },
  { id: "coin-pay", names: ["硬币支付（沙盒）", "Coin Pay (sandbox)"], senderIds: ["硬币支付", "95001003"] },
  { id: "easy-credit", names: ["易贷花（沙盒）", "Easy Credit (sandbox)"], senderIds: ["易贷花", "1069012345", "10690003001", "95001004"] },
  { id: "quick-loan", names: ["速借（沙盒）", "Quick Loan (sandbox)"], senderIds: ["速借", "95000123", "10690003002", "95001005"] },
  { id: "fresh-bites", names: ["鲜送外卖（沙盒）", "Fresh Bites (sandbox)"], senderIds: ["鲜送外卖", "鲜送", "10690004001"] },
  { id: "city-services", names: ["城市通政务（沙盒）", "City Services (sandbox)"], senderIds: ["城市通政务", "城市通", "12345001"] },
];

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

describe("classifyMessage over the labelled messages", () => {
  it("has a set big and varied enough to mean something", () => {
    expect(LABELLED_MESSAGES.length).toBeGreaterThanOrEqual(72);
    for (const category of REPORT_CATEGORIES) {
      expect(LABELLED_MESSAGES.filter((m) => m.category === category).length, category).toBeGreaterThanOrEqual(category === "other" ? 4 : 8);
    }
    const chinese = LABELLED_MESSAGES.filter((m) => /\p{Script=Han}/u.test(m.text)).length / LABELLED_MESSAGES.length;
    expect(chinese).toBeGreaterThan(0.65);
    expect(chinese).toBeLessThan(0.85);
    expect(LABELLED_MESSAGES.some((m) => m.channel === "call")).toBe(true);
  });

  it("suggests the labelled category for at least 90% of them", () => {
    const confusion = new Map<ReportCategory, Map<ReportCategory, number>>(REPORT_CATEGORIES.map((c) => [c, new Map()]));
    const wrong: string[] = [];
    let right = 0;
    for (const m of LABELLED_MESSAGES) {
      const got = classifyMessage(m);
      const row = confusion.get(m.category)!;
      row.set(got.category, (row.get(got.category) ?? 0) + 1);
      if (got.category === m.category) right++;
      else wrong.push(`  [${m.category} → ${got.category}] (${m.channel}) ${m.text}\n      matched: ${got.matched.join(", ") || "(none)"}`);
    }
    const accuracy = right / LABELLED_MESSAGES.length;

    const lines = [`classifyMessage accuracy: ${right}/${LABELLED_MESSAGES.length} = ${pct(accuracy)}`, "per category (expected: correct/total, then what the misses became):"];
    for (const [expected, row] of confusion) {
      const total = [...row.values()].reduce((a, b) => a + b, 0);
      const misses = [...row].filter(([got]) => got !== expected).map(([got, n]) => `${got}×${n}`);
      lines.push(`  ${expected.padEnd(18)} ${row.get(expected) ?? 0}/${total}${misses.length ? `   misses: ${misses.join(", ")}` : ""}`);
    }
    lines.push(wrong.length ? `misclassified (${wrong.length}):\n${wrong.join("\n")}` : "misclassified: none");
    console.log(lines.join("\n"));

    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("detects the labelled platform, and no platform where none is named", () => {
    const withPlatform = LABELLED_MESSAGES.filter((m) => m.platform);
    const misses = withPlatform.filter((m) => detectPlatform(m, REGISTRY)?.id !== m.platform);
    const falsePositives = LABELLED_MESSAGES.filter((m) => !m.platform && detectPlatform(m, REGISTRY));
    const accuracy = (withPlatform.length - misses.length) / withPlatform.length;
    console.log(
      [
        `detectPlatform accuracy: ${withPlatform.length - misses.length}/${withPlatform.length} = ${pct(accuracy)}; false positives: ${falsePositives.length}/${LABELLED_MESSAGES.length - withPlatform.length}`,
        ...misses.map((m) => `  [${m.platform} → ${detectPlatform(m, REGISTRY)?.id ?? "null"}] ${m.text}`),
        ...falsePositives.map((m) => `  [none → ${detectPlatform(m, REGISTRY)?.id}] ${m.text}`),
      ].join("\n"),
    );
    expect(withPlatform.length).toBeGreaterThanOrEqual(30);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(falsePositives).toEqual([]);
  });
});

describe("classifyMessage", () => {
  it("files the seed story's debt SMS for 刘某某 as debt collection, with high confidence", () => {
    const r = classifyMessage({ channel: "sms", text: "【易贷花】刘某某 因欠款逾期,我们工作人员已驱车前往您居住地，请于今日18点前联系 13812345678 处理欠款3,280.50元。" });
    expect(r.category).toBe("debt_collection");
    expect(r.confidence).toBe("high");
    expect(r.matched).toEqual(expect.arrayContaining(["debt_collection:逾期", "debt_collection:欠款", "debt_collection:上门"]));
  });

  it("tells a collector's threat from the same lender's offer and routine reminder", () => {
    expect(classifyMessage({ text: "【易贷花】刘某某，您的欠款已转交法务部门处理" }).category).toBe("debt_collection");
    expect(classifyMessage({ text: "【易贷花】最后通知：请刘某某今日还款" }).category).toBe("debt_collection");
    expect(classifyMessage({ text: "【易贷花】您的借款额度已提升至50,000元，最快3分钟放款，退订回T" }).category).toBe("loan_credit");
    expect(classifyMessage({ text: "【易贷花】您的还款日为本月15日，本期应还1,203.40元，如已还款请忽略。" }).category).toBe("loan_credit");
  });

  it("files a ride-hailing driver's call as ride/delivery", () => {
    expect(classifyMessage({ channel: "call", text: "网约车司机打电话说在楼下等我" }).category).toBe("ride_delivery");
    expect(classifyMessage({ channel: "call", text: "快行出行的司机打电话说已经到小区门口了，问刘先生什么时候下楼上车，我根本没叫车" }).category).toBe("ride_delivery");
    expect(classifyMessage({ channel: "call", text: "a taxi driver called saying he was outside waiting for Liu" }).category).toBe("ride_delivery");
  });

  it("files a street office's notice as a government notice, even when it says 逾期", () => {
    expect(classifyMessage({ text: "街道办通知：刘某某请于本周五前到社区办理居住证续签" }).category).toBe("government_notice");
    expect(classifyMessage({ text: "【幸福街道办事处】刘某某您好，请于12月5日前携带身份证到社区服务中心办理居住证签注，逾期将影响积分。" }).category).toBe("government_notice");
  });

  it("files the previous owner asking for a code as previous_owner, and the code SMS itself as verification_code", () => {
    const asking = classifyMessage({ text: "你好，我是这个号码的原机主，我微信换绑需要验证码，一会儿收到6位数验证码麻烦发给我，谢谢" });
    expect(asking.category).toBe("previous_owner");
    expect(asking.matched).toContain("previous_owner:原机主");
    expect(asking.matched).toContain("previous_owner:索要验证码");
    const code = classifyMessage({ text: "【连信】验证码 482913，您正在登录连信，5分钟内有效，请勿泄露给他人。" });
    expect(code.category).toBe("verification_code");
    // "请勿转发给他人" is the code SMS's warning, not someone asking for the code.
    expect(classifyMessage({ text: "【每日商城】验证码 1234，请勿转发给他人" }).matched).not.toContain("previous_owner:索要验证码");
  });

  it("tells a 公检法 fraud call from a real police-station notice", () => {
    expect(classifyMessage({ channel: "call", text: "自称是公安局的人打电话，说刘某某涉嫌洗钱，要我把钱转到安全账户配合调查" }).category).toBe("fraud");
    expect(classifyMessage({ text: "XX派出所提醒：您办理的户籍业务已办结，请本人携带身份证前来领取。" }).category).toBe("government_notice");
  });

  it("handles English messages and call summaries", () => {
    expect(classifyMessage({ channel: "call", text: "a man called asking for Mr Liu about his overdue loan" }).category).toBe("debt_collection");
    expect(classifyMessage({ text: "Your Linkup Chat code is 551203. Don't share it with anyone." }).category).toBe("verification_code");
    expect(classifyMessage({ channel: "call", text: "A man called saying he used to own this number and asked me to send him the verification code for his bank app" }).category).toBe("previous_owner");
    expect(classifyMessage({ channel: "call", text: "Caller said he is the previous owner and needs the code sent to this number for his bank app." }).category).toBe("previous_owner");
    expect(classifyMessage({ text: "Your Coin Pay account will be frozen within 24 hours. Verify now at coinpay-secure.example" }).category).toBe("fraud");
    expect(classifyMessage({ text: "Daily Mall: Flash sale! Up to 70% off this weekend only. Reply STOP to unsubscribe" }).category).toBe("marketing");
    expect(classifyMessage({ text: "City Services: Your electricity bill of ¥213.60 is due on 20 May." }).category).toBe("government_notice");
    expect(classifyMessage({ text: "Good news! You're pre-approved for a personal loan up to ¥50,000. Reply STOP to opt out" }).category).toBe("loan_credit");
  });

  it("returns other, with low confidence and nothing matched, for an empty or meaningless text", () => {
    for (const text of ["", "   \n\t ", "在吗"]) {
      const r = classifyMessage({ text });
      expect(r).toMatchObject({ category: "other", confidence: "low", matched: [] });
      expect(Object.values(r.scores).every((s) => s === 0)).toBe(true);
    }
  });

  it("explains its decision: the score is the sum of the matched rules' weights", () => {
    const r = classifyMessage({ channel: "call", text: "网约车司机打电话说在楼下等我" });
    expect(r.matched).toEqual(["ride_delivery:司机", "ride_delivery:楼下等", "ride_delivery:call:司机/快递"]);
    const sum = (category: ReportCategory) =>
      CATEGORY_RULES.filter((rule) => rule.category === category && r.matched.includes(rule.id)).reduce((a, rule) => a + rule.weight, 0);
    for (const category of REPORT_CATEGORIES) expect(r.scores[category]).toBe(sum(category));
    // The call-only rule does not count for an SMS.
    expect(classifyMessage({ channel: "sms", text: "网约车司机打电话说在楼下等我" }).matched).not.toContain("ride_delivery:call:司机/快递");
  });

  it("breaks ties by the fixed priority order", () => {
    // 逾期 (debt, 3) against 额度 (loan, 3): the collector comes first.
    const r = classifyMessage({ text: "逾期 额度" });
    expect(r.scores.debt_collection).toBe(r.scores.loan_credit);
    expect(r.category).toBe("debt_collection");
    expect(r.confidence).toBe("low");
    expect(CATEGORY_PRIORITY.indexOf("verification_code")).toBeLessThan(CATEGORY_PRIORITY.indexOf("marketing"));
    expect(CATEGORY_PRIORITY.indexOf("fraud")).toBeLessThan(CATEGORY_PRIORITY.indexOf("marketing"));
  });

  it("normalises width, case and spacing before matching", () => {
    expect(normalizeText("  回复ＴＤ退订，　谢谢！ \n OK。")).toBe("回复td退订, 谢谢! ok.");
    expect(classifyMessage({ text: "【朋友广场】动态码：２０４８１７，若非本人操作请立即修改密码" }).matched).toContain("verification_code:码+数字");
  });

  it("has unique rule ids, each naming its category, and only known categories", () => {
    const ids = CATEGORY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of CATEGORY_RULES) {
      expect(rule.id.startsWith(`${rule.category}:`)).toBe(true);
      expect(REPORT_CATEGORIES).toContain(rule.category);
      expect(rule.patterns.length).toBeGreaterThan(0);
      // A /g or /y pattern keeps state between .test() calls and would match every other message.
      for (const p of rule.patterns) expect(p.global || p.sticky, rule.id).toBe(false);
    }
    expect([...CATEGORY_PRIORITY].sort()).toEqual([...REPORT_CATEGORIES].sort());
  });
});

describe("detectPlatform", () => {
  const text = "刘某某 因欠款逾期，请尽快处理";

  it("matches the sender's number first, whatever its formatting", () => {
    expect(detectPlatform({ text, sender: "1069012345" }, REGISTRY)).toEqual({ id: "easy-credit", via: "sender" });
    expect(detectPlatform({ text, sender: "+86 950-00123" }, REGISTRY)).toEqual({ id: "quick-loan", via: "sender" });
    expect(detectPlatform({ text, sender: "86 1069 0003 001" }, REGISTRY)).toEqual({ id: "easy-credit", via: "sender" });
    // The sender wins over a signature naming another platform.
    expect(detectPlatform({ text: `【速借】${text}`, sender: "1069012345" }, REGISTRY)).toEqual({ id: "easy-credit", via: "sender" });
  });

  it("matches the 【signature】 against names and sender ids, ignoring the sandbox suffix and case", () => {
    expect(detectPlatform({ text: `【易贷花】${text}` }, REGISTRY)).toEqual({ id: "easy-credit", via: "signature" });
    expect(detectPlatform({ text: `${text}【速借】` }, REGISTRY)).toEqual({ id: "quick-loan", via: "signature" });
    expect(detectPlatform({ text: "【连信（沙盒）】验证码 123456" }, REGISTRY)).toEqual({ id: "linkup-chat", via: "signature" });
    expect(detectPlatform({ text: "[linkup chat (Sandbox)] code 123456" }, REGISTRY)).toEqual({ id: "linkup-chat", via: "signature" });
    expect(detectPlatform({ text: "【快行】您的司机已到达" }, REGISTRY)).toEqual({ id: "swift-ride", via: "signature" });
    // An unknown sender number falls through to the signature.
    expect(detectPlatform({ text: `【易贷花】${text}`, sender: "13800000000" }, REGISTRY)).toEqual({ id: "easy-credit", via: "signature" });
  });

  it("finds a platform's whole name mentioned in the text", () => {
    expect(detectPlatform({ text: "前机主打电话来，说他的快行出行账号还绑着这个号" }, REGISTRY)).toEqual({ id: "swift-ride", via: "name" });
    expect(detectPlatform({ text: "Your Fresh Bites courier is nearby." }, REGISTRY)).toEqual({ id: "fresh-bites", via: "name" });
    expect(detectPlatform({ text: "求你把速借的验证码发我" }, REGISTRY)).toEqual({ id: "quick-loan", via: "name" });
    // The earliest mention wins.
    expect(detectPlatform({ text: "我在每日商城买的东西，用硬币支付付的款" }, REGISTRY)).toEqual({ id: "daily-mall", via: "name" });
  });

  it("does not match tiny substrings of ordinary words", () => {
    expect(detectPlatform({ text: "急用钱？快速借款，当天放款" }, REGISTRY)).toBeNull();
    expect(detectPlatform({ text: "手机连信号都没有" }, REGISTRY)).toBeNull();
    expect(detectPlatform({ text: "I paid with bitcoin payments" }, REGISTRY)).toBeNull();
  });

  it("returns null for a company that is not in the registry", () => {
    expect(detectPlatform({ text: `【某某金融】${text}` }, REGISTRY)).toBeNull();
    expect(detectPlatform({ text: `【某某金融】${text}`, sender: "10690009999" }, REGISTRY)).toBeNull();
    expect(detectPlatform({ text: "【幸福街道办事处】请到社区服务中心办理居住证签注" }, REGISTRY)).toBeNull();
    expect(detectPlatform({ text: "" }, [])).toBeNull();
  });
});

describe("smsSignature", () => {
  it("reads the signature at the start or the end", () => {
    expect(smsSignature("【易贷花】刘某某 因欠款逾期")).toBe("易贷花");
    expect(smsSignature("  【 速借 】最后通知")).toBe("速借");
    expect(smsSignature("您的验证码是1234【每日商城】")).toBe("每日商城");
    expect(smsSignature("您的验证码是1234【每日商城】\n")).toBe("每日商城");
    expect(smsSignature("[Daily Mall] Flash sale!")).toBe("Daily Mall");
    expect(smsSignature("【连信（沙盒）】验证码 123456")).toBe("连信（沙盒）");
  });

  it("returns null without a signature, or for brackets in the middle or markers that are not names", () => {
    expect(smsSignature("刘某某 因欠款逾期")).toBeNull();
    expect(smsSignature("请登录【每日商城】查看订单详情")).toBeNull();
    expect(smsSignature("[1/2] 您的账单")).toBeNull();
    expect(smsSignature("")).toBeNull();
  });
});
