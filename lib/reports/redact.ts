/**
 * Masks the previous owner's personal data in the text of a message meant for them, wherever the
 * text leaves the owner's own view (agent previews, platform forwarding, exports, statistics).
 * Pure and framework-free so it can run anywhere; one pass over the text per detector.
 *
 * Masking rules (one mask character is always `*`; separators inside a match are kept):
 * - id_card   18-digit ID (ISO 7064 MOD 11-2 check digit, province code, birth date 1900–2099) or
 *             15-digit old ID (province code, 19YY date): keep the first and the last character,
 *             mask the rest: 110101199003077777 → 1****************7.
 * - bank_card 16–19 digits (plain, or in 4-groups split by spaces or dashes) that are Luhn-valid and
 *             start with 3–6 (card networks), or any 16–19 digits right after 卡号/银行卡/尾号/账号…:
 *             keep the last 4: 6222 0212 3456 7890 → **** **** **** 7890. After 订单号/流水号/运单…
 *             only the explicit card context counts.
 * - phone     mainland mobiles (optional +86/0086/86, spaces or dashes): keep the first 3 and last 2
 *             of the 11 digits: 138******78; landlines (0 + area code, 7–8 digit local number):
 *             keep the area code and the last 2: 021-******78. 400/800, 95xxx/96xxx, 106xxx and
 *             12xxx service numbers are company numbers and stay. Already-masked numbers stay.
 * - amount    ¥/￥/$/RMB/CNY/USD/人民币 + number, number + 元/块/万/美元/RMB…, or 欠款/金额/应还…
 *             + number: the number becomes `***`, the unit stays (欠款***元, ¥***, RMB ***). Only in
 *             a text that names a person (any name below, masked forms included); a text without
 *             one (marketing, 满100减20) keeps its amounts. Message-wide, not sentence-wide,
 *             because the name usually opens the message and the amounts follow later.
 * - name      Chinese: keep the surname (single, or compound such as 欧阳/司马), one `*` per
 *             character of the given name: 刘伟先生 → 刘*先生, 张小明 → 张**, 刘某某 → 刘**.
 *             Only when anchored by context: an address (尊敬的/亲爱的/致/客户/您好), a role
 *             (借款人/机主/您的家人/紧急联系人/姓名…), an honorific after (先生/女士/小姐…), a
 *             greeting after (，您好 / 您在… / 已逾期…), or the masked form itself (X某某).
 *             English: after Dear/Hi/Hello/Hey and/or Mr/Mrs/Ms/Miss/Mx/Dr, up to 3 capitalised
 *             words, each keeping its first letter: Dear Mr Liu Wei → Dear Mr L** W**.
 * - email     keep the first character of the local part and the domain: l***@example.com.
 * - plate     province + letter kept, the rest masked: 京A12345 → 京A*****, 粤B·D12345 → 粤B·******.
 *
 * Left alone on purpose: verification codes (not the previous owner's data, and they expire),
 * dates and times, order numbers that fail the ID and Luhn checks, sender short codes, 【signatures】.
 *
 * Redactions never overlap (email > id_card > bank_card > phone > plate > name > amount), are
 * sorted by `start`, carry offsets into the original text, and cover the whole detected item (the
 * kept parts included). A span that is already masked exactly as the rule would mask it (刘**) is
 * recognised but not reported. redact(redact(x).text).text === redact(x).text.
 */

export type RedactionKind = "id_card" | "bank_card" | "phone" | "amount" | "name" | "email" | "plate";
/** A masked span; offsets are UTF-16 indices into the ORIGINAL text, `end` exclusive. */
export interface Redaction {
  kind: RedactionKind;
  start: number;
  end: number;
}

interface Hit extends Redaction {
  replacement: string;
}

// ---------------------------------------------------------------------------------------------
// Character classes and small helpers

const MASK_CHARS = "*＊×";

function isHan(c: string): boolean {
  return c.length === 1 && c >= "\u3400" && c <= "\u9fff";
}
function isMask(c: string): boolean {
  return c.length === 1 && MASK_CHARS.includes(c);
}

/** Replaces each digit (or each character matched by `what`) whose index passes `mask` with `*`. */
function maskChars(s: string, what: RegExp, mask: (index: number, total: number) => boolean): string {
  let total = 0;
  for (const c of s) if (what.test(c)) total++;
  let index = 0;
  let out = "";
  for (const c of s) {
    if (what.test(c)) {
      out += mask(index, total) ? "*" : c;
      index++;
    } else out += c;
  }
  return out;
}
const DIGIT = /[0-9]/;
const ID_CHAR = /[0-9Xx]/;

// ---------------------------------------------------------------------------------------------
// Email

const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9])/g;

function detectEmails(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(EMAIL)) {
    const local = m[1] ?? "";
    const domain = m[2] ?? "";
    hits.push({ kind: "email", start: m.index, end: m.index + m[0].length, replacement: `${local.charAt(0)}***@${domain}` });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Resident ID cards

const PROVINCES = new Set(["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83", "91"]);
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

function plausibleDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function isValidId18(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id) || !PROVINCES.has(id.slice(0, 2))) return false;
  const year = Number(id.slice(6, 10));
  if (year < 1900 || year > 2099 || !plausibleDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK.charAt(sum % 11) === id.charAt(17).toUpperCase();
}

function isValidId15(id: string): boolean {
  if (!/^\d{15}$/.test(id) || !PROVINCES.has(id.slice(0, 2))) return false;
  return plausibleDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}

const ID18 = /(?<![0-9A-Za-z*＊])(\d{6})([ -]?)(\d{8})\2(\d{3}[\dXx])(?![0-9A-Za-z*＊])/g;
const ID15 = /(?<![0-9A-Za-z*＊])\d{15}(?![0-9A-Za-z*＊])/g;

function maskId(s: string): string {
  return maskChars(s, ID_CHAR, (i, total) => i !== 0 && i !== total - 1);
}

function detectIds(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(ID18)) {
    const id = `${m[1] ?? ""}${m[3] ?? ""}${m[4] ?? ""}`;
    if (isValidId18(id)) hits.push({ kind: "id_card", start: m.index, end: m.index + m[0].length, replacement: maskId(m[0]) });
  }
  for (const m of text.matchAll(ID15)) {
    if (isValidId15(m[0])) hits.push({ kind: "id_card", start: m.index, end: m.index + m[0].length, replacement: maskId(m[0]) });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Bank cards

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits.charAt(digits.length - 1 - i));
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const CARD_PLAIN = /(?<![0-9A-Za-z*＊])\d{16,19}(?![0-9A-Za-z*＊])/g;
const CARD_GROUPED = /(?<![0-9A-Za-z*＊])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?![0-9A-Za-z*＊])/g;
const CARD_CONTEXT = /(?:卡号|银行卡|信用卡|储蓄卡|借记卡|尾号|账号|帐号|账户|帐户|卡)[^0-9\n]{0,4}$/;
const NOT_CARD_CONTEXT = /(?:订单|单号|流水号|交易号|编号|运单|快递|物流|工单|票号|序列号|批次)[^0-9\n]{0,6}$/;

function detectBankCards(text: string): Hit[] {
  const hits: Hit[] = [];
  const consider = (m: RegExpExecArray | RegExpMatchArray, index: number) => {
    const digits = m[0].replace(/\D/g, "");
    const before = text.slice(Math.max(0, index - 12), index);
    const carded = CARD_CONTEXT.test(before);
    const network = luhnValid(digits) && /^[3-6]/.test(digits) && !NOT_CARD_CONTEXT.test(before);
    if (!carded && !network) return;
    hits.push({ kind: "bank_card", start: index, end: index + m[0].length, replacement: maskChars(m[0], DIGIT, (i, total) => i < total - 4) });
  };
  for (const m of text.matchAll(CARD_PLAIN)) consider(m, m.index);
  for (const m of text.matchAll(CARD_GROUPED)) consider(m, m.index);
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

const MOBILE = /(?<![0-9*＊+])((?:\+|00)?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\3(\d{4})(?![0-9*＊])/g;
const LANDLINE = /(?<![0-9A-Za-z*＊+])(\(?0(?:10|2\d|[3-9]\d{2})\)?)([ -]?)([2-9]\d{6,7})(?![0-9A-Za-z*＊])/g;

function detectPhones(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(MOBILE)) {
    const prefix = m[1] ?? "";
    const national = m[0].slice(prefix.length);
    hits.push({ kind: "phone", start: m.index, end: m.index + m[0].length, replacement: prefix + maskChars(national, DIGIT, (i) => i >= 3 && i < 9) });
  }
  for (const m of text.matchAll(LANDLINE)) {
    const area = m[1] ?? "";
    // "(021" without ")" or "021)" is not an area code.
    if (area.startsWith("(") !== area.endsWith(")")) continue;
    const local = m[3] ?? "";
    hits.push({ kind: "phone", start: m.index, end: m.index + m[0].length, replacement: area + (m[2] ?? "") + maskChars(local, DIGIT, (i, total) => i < total - 2) });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Licence plates

const PLATE = /(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z])([·•.\- ]?)([A-HJ-NP-Z0-9]{5,6})(?![A-Za-z0-9])/g;

function detectPlates(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(PLATE)) {
    const tail = m[3] ?? "";
    if ((tail.match(/\d/g)?.length ?? 0) < 3) continue;
    hits.push({ kind: "plate", start: m.index, end: m.index + m[0].length, replacement: `${m[1] ?? ""}${m[2] ?? ""}${"*".repeat(tail.length)}` });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Chinese names

const COMPOUND_SURNAMES = new Set(
  "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 司徒 夏侯 尉迟 公孙 长孙 宇文 轩辕 端木 西门 南宫 独孤 澹台 申屠 钟离 闻人 万俟 赫连 呼延 百里 东郭 太史 濮阳 淳于 单于 公冶 仲孙 宗政 司空 完颜".split(" "),
);
/** Common single-character surnames; rare ones that are everyday words (和, 时, 车, 明…) are left out. */
const SURNAMES = new Set(
  Array.from(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲滕屈饶牟艾尤穆卓吉缪简项芦褚娄窦戚岑费卜晏卫柏宗瞿桂佟臧闵苟邬卞姬栾隋刁荣巫寇桑郎甄丛虞敖巩佘池麻苑迟邝",
  ),
);
/** Surnames that are also prepositions: never a surname right after a function word (请向王先生). */
const WEAK_SURNAMES = new Set(["向", "于", "余"]);
/** Characters that (almost) never occur in a given name: function words and debt vocabulary. */
const NOT_GIVEN = new Set(
  Array.from(
    "的了是在已于和与及或等欠还因被把将对从也都就才又再很最请您你我他她它们这那无不没个位名号今现目所到至需须应必仍尚涉拖催说要会能让给叫找逾借贷款之吗呢吧啊哦该此其每各尽并但而则即若元块年日时分秒点卡账户单订某",
  ),
);
const HONORIFICS = ["先生", "女士", "小姐", "同志", "老师", "阿姨", "叔叔", "大哥", "大姐", "经理", "老板", "师傅", "同学", "医生", "律师", "教授", "主任", "夫人", "太太", "阁下", "总"];
/** Everyday words that start with a surname character. */
const NOT_NAMES = new Set(
  "王者 王国 王牌 高兴 高级 高速 高端 高清 高考 周末 周年 周一 周二 周三 周四 周五 周六 周日 周边 周期 黄金 黄色 李子 陈列 陈述 张贴 张开 金额 金卡 金融 金币 金牌 余额 余下 万元 万达 方便 方式 方案 方面 方法 方向 马上 白金 白天 白色 任何 任务 安全 安装 安排 江湖 常见 常用 常规 文件 文明 文化 关于 关注 关闭 石油 钱包 童鞋 夏天 夏季 秋天 龙虾 康复 温馨 温度 温暖 严重 严格 施工 华为 苏宁 程序 于是 何时 何处 付款 付费 成员 成功 成为 包邮 包括 宁可 尚未 邮件 叶子 毛巾 汤圆 韩国 沈阳 宋体 乔迁 谢谢 谢绝 贺卡 曾经 管理 管家 戴尔 史上 易购 顾客 顾问 雷电 段位 潘多 伍佰 阮一".split(" "),
);
/** What may follow a 某-masked given name without making it a different word (某些, 某日, 某某公司). */
const MOU_STOP = new Set(Array.from("些种处地天日时个项类人年月次位件事家公银机号"));
/** Function characters after which a surname may start a name (请刘伟先生, 是王芳的联系人). */
const LEFT_FUNC = new Set(Array.from("请给叫找由和与跟同对向让被把为替帮及是的告诉转"));

const STRONG_PREFIX =
  /(?:借款人|贷款人|债务人|欠款人|担保人|机主|户主|持卡人|联系人|当事人|收件人|收货人|寄件人|申请人|投保人|被保险人|姓名|转告|[您你]的(?:家人|亲属|亲人|朋友|同事|配偶|丈夫|妻子|儿子|女儿|父亲|母亲|哥哥|姐姐|弟弟|妹妹))[：:\s]*(?:为|是)?[：:\s]*$/;
const GREET_PREFIX = /(?:尊敬的|亲爱的|敬爱的|客户|用户|会员|[您你]好[，,！!]?|(?:^|[^\u3400-\u9fff])致)[：:\s]?$/;
const GREETING_SUFFIX =
  /^(?:(?:[，,：:！!]\s*|\s+)?[您你]好|[您你](?:在|于|已|欠|尚|名下|因|逾期|目前|本人|的(?:借|贷|欠|账|帐|信用|还款|逾期)))/;
const DEBT_SUFFIX = /^(?:已经?逾期|逾期|欠款|欠费|拖欠|名下|本人|的(?:家人|紧急联系人|联系人|亲属|朋友|同事|借款|贷款|欠款|账户|信用卡))/;

type LeftContext = "strong" | "greet" | "boundary" | "none";
type SuffixKind = "honorific" | "greeting" | "you" | "boundary" | "weak" | "none";

function honorificAt(text: string, k: number): boolean {
  for (const h of HONORIFICS) if (text.startsWith(h, k)) return true;
  return false;
}

function leftContext(text: string, i: number): LeftContext {
  const before = text.slice(Math.max(0, i - 12), i);
  if (STRONG_PREFIX.test(before)) return "strong";
  if (GREET_PREFIX.test(before)) return "greet";
  if (i === 0) return "boundary";
  const p = text.charAt(i - 1);
  if (!isHan(p) && !isMask(p)) return "boundary";
  if (LEFT_FUNC.has(p) && !WEAK_SURNAMES.has(text.charAt(i))) return "boundary";
  return "none";
}

function suffixKind(text: string, k: number): SuffixKind {
  if (k >= text.length) return "boundary";
  if (honorificAt(text, k)) return "honorific";
  const rest = text.slice(k, k + 10);
  if (GREETING_SUFFIX.test(rest) || DEBT_SUFFIX.test(rest)) return "greeting";
  const c = text.charAt(k);
  if (isMask(c)) return "none";
  if (!isHan(c)) return "boundary";
  if (c === "您" || c === "你") return "you";
  if (NOT_GIVEN.has(c)) return "weak";
  return "none";
}

const ACCEPTS: Record<Exclude<LeftContext, "none">, ReadonlySet<SuffixKind>> = {
  strong: new Set(["honorific", "greeting", "you", "boundary", "weak"]),
  greet: new Set(["honorific", "greeting", "you", "boundary"]),
  boundary: new Set(["honorific", "greeting"]),
};

function givenChar(text: string, k: number): boolean {
  const c = text.charAt(k);
  return isHan(c) && !NOT_GIVEN.has(c) && !honorificAt(text, k);
}

function nameHit(start: number, surname: string, givenLength: number): Hit {
  return { kind: "name", start, end: start + surname.length + givenLength, replacement: surname + "*".repeat(givenLength) };
}

function chineseNameAt(text: string, i: number): Hit | null {
  const first = text.charAt(i);
  if (!isHan(first)) return null;
  const surnames: string[] = [];
  const two = text.slice(i, i + 2);
  if (COMPOUND_SURNAMES.has(two)) surnames.push(two);
  if (SURNAMES.has(first)) surnames.push(first);
  if (surnames.length === 0) return null;
  const ctx = leftContext(text, i);
  for (const surname of surnames) {
    const j = i + surname.length;
    if (surname.length === 1 && NOT_NAMES.has(two)) continue;
    // Already masked: 刘某某, 刘某 — a name wherever it is; 刘**, 刘＊ — with the usual left context.
    const mou = /^某{1,2}/.exec(text.slice(j, j + 2));
    if (mou && !MOU_STOP.has(text.charAt(j + mou[0].length))) return nameHit(i, surname, mou[0].length);
    const stars = /^[*＊×]{1,3}(?![*＊×0-9A-Za-z])/.exec(text.slice(j, j + 4));
    if (stars) {
      if (ctx !== "none") return nameHit(i, surname, stars[0].length);
      continue;
    }
    if (ctx === "none") continue;
    const longest = givenChar(text, j) ? (givenChar(text, j + 1) ? 2 : 1) : 0;
    if (longest === 0) continue;
    // 向王先生 at the start of a sentence: a preposition before a bare surname, not 向 + given name.
    if (ctx === "boundary" && WEAK_SURNAMES.has(surname) && SURNAMES.has(text.charAt(j))) continue;
    for (let length = longest; length >= 1; length--) {
      if (ACCEPTS[ctx].has(suffixKind(text, j + length))) return nameHit(i, surname, length);
    }
    // A role (借款人, 机主…) names a person whatever follows: assume the usual two-character given name.
    if (ctx === "strong") return nameHit(i, surname, longest);
  }
  return null;
}

/**
 * A name right before 先生/女士/小姐 that has no usable left context (感谢刘伟先生): the two or
 * three characters before the honorific, when they read as surname + given name.
 */
function honorificFallback(text: string, taken: Uint8Array): Hit[] {
  const hits: Hit[] = [];
  const validGiven = (c: string) => (isHan(c) && !NOT_GIVEN.has(c)) || isMask(c);
  for (const m of text.matchAll(/先生|女士|小姐/g)) {
    const h = m.index;
    if (h < 2 || taken[h - 1]) continue;
    const c1 = text.charAt(h - 1);
    const c2 = text.charAt(h - 2);
    const c3 = h >= 3 ? text.charAt(h - 3) : "";
    if (SURNAMES.has(c1) && !isMask(c1)) continue; // 刘先生: a bare surname, nothing to mask.
    if (SURNAMES.has(c2) && !WEAK_SURNAMES.has(c2) && validGiven(c1) && !NOT_NAMES.has(c2 + c1)) {
      if (!taken[h - 2]) hits.push(nameHit(h - 2, c2, 1));
    } else if (SURNAMES.has(c3) && !WEAK_SURNAMES.has(c3) && validGiven(c2) && validGiven(c1) && !NOT_NAMES.has(c3 + c2)) {
      if (!taken[h - 3] && !taken[h - 2]) hits.push(nameHit(h - 3, c3, 2));
    }
  }
  return hits;
}

// English: honorific-anchored only.
const ENGLISH_NAME =
  /(?<![A-Za-z])(?:(?:[Dd]ear|[Hh]i|[Hh]ello|[Hh]ey)[ \t]+(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+)?|(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+)([A-Z][a-z]*(?:['-][A-Z]?[a-z]+)*(?:[ \t]+[A-Z][a-z]*(?:['-][A-Z]?[a-z]+)*){0,2})(?![A-Za-z])/g;
const ENGLISH_STOP = new Set(
  "Customer Customers Client Clients Sir Madam Madame User Users Member Members Valued Team There All Everyone Friend Friends Guest Guests Owner Subscriber Subscribers Support Service Please Your You Thank Thanks We This The Our Welcome Good Morning Afternoon Evening Dear Mr Mrs Ms Miss Dr Sender Recipient Cardholder Applicant Borrower Partner Partners Folks Again Hello Hi World Kitty Everybody".split(
    " ",
  ),
);

function detectEnglishNames(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(ENGLISH_NAME)) {
    const group = m[1] ?? "";
    const offset = m.index + m[0].length - group.length;
    const words = [...group.matchAll(/\S+/g)];
    let end = offset;
    for (const w of words) {
      if (ENGLISH_STOP.has(w[0]) || !/[a-z]/.test(w[0])) break;
      end = offset + w.index + w[0].length;
    }
    if (end === offset) continue;
    const name = text.slice(offset, end);
    hits.push({ kind: "name", start: offset, end, replacement: name.replace(/\S+/g, (w) => w.charAt(0) + w.slice(1).replace(/[A-Za-z]/g, "*")) });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Amounts

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?`;
/** After a number: not more of a number (a sentence's full stop or comma is fine). */
const NUM_END = String.raw`(?![\d*＊]|[.,]\d)`;
const UNIT = String.raw`(?:万元|千元|百元|亿元|元整|元|块钱|块|圆|万|美元|港元|港币|人民币|(?:RMB|CNY|USD|yuan|dollars?|bucks)(?![A-Za-z]))`;
const AMOUNT_PREFIXED = new RegExp(String.raw`(?<![A-Za-z])(?:US\$|HK\$|[¥￥$]|RMB|CNY|USD|人民币)[ \t]?(${NUM})${NUM_END}(?:[ \t]?${UNIT})?`, "dg");
const AMOUNT_SUFFIXED = new RegExp(String.raw`(?<![\d*＊.,A-Za-z])(${NUM})[ \t]?${UNIT}`, "dg");
const AMOUNT_KEYWORD = new RegExp(
  String.raw`(?:欠款|欠费|金额|应还|待还|未还|本金|利息|罚息|滞纳金|违约金|本息|共计|合计|总计|总额)[：:\s为是约]{0,3}(${NUM})${NUM_END}(?![年月日天期号个次笔%:：])`,
  "dg",
);

function detectAmounts(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const re of [AMOUNT_PREFIXED, AMOUNT_SUFFIXED, AMOUNT_KEYWORD]) {
    for (const m of text.matchAll(re)) {
      const [numStart, numEnd] = m.indices?.[1] ?? [m.index, m.index];
      // The whole item is reported; only the number is replaced, the unit stays.
      hits.push({ kind: "amount", start: m.index, end: m.index + m[0].length, replacement: `${text.slice(m.index, numStart)}***${text.slice(numEnd, m.index + m[0].length)}` });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------

class Spans {
  readonly taken: Uint8Array;
  readonly hits: Hit[] = [];
  constructor(length: number) {
    this.taken = new Uint8Array(length);
  }
  /** Adds the hits in order, skipping any that overlap one already taken; returns those added. */
  add(candidates: Hit[]): Hit[] {
    const added: Hit[] = [];
    for (const hit of candidates) {
      if (hit.end <= hit.start) continue;
      let free = true;
      for (let k = hit.start; k < hit.end; k++) {
        if (this.taken[k]) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      this.taken.fill(1, hit.start, hit.end);
      this.hits.push(hit);
      added.push(hit);
    }
    return added;
  }
}

function detectChineseNames(text: string, spans: Spans): Hit[] {
  const found: Hit[] = [];
  for (let i = 0; i < text.length; i++) {
    if (spans.taken[i]) continue;
    const hit = chineseNameAt(text, i);
    if (hit && spans.add([hit]).length === 1) {
      found.push(hit);
      i = hit.end - 1;
    }
  }
  return found.concat(spans.add(honorificFallback(text, spans.taken)));
}

/** Finds and masks the previous owner's personal data; see the rules at the top of this file. */
/**
 * Full-width digits and letters (１３８…, Ｘ) as their ASCII twins, and zero-width characters as
 * spaces: what Chinese keyboards type, and what senders use to slip past filters. Each character
 * maps to exactly one, so offsets into the folded text are offsets into the original.
 */
function foldForMatching(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF0B\uFF0D\u200B-\u200D\u2060\uFEFF]/g, (c) => {
    const code = c.charCodeAt(0);
    return code >= 0xff01 ? String.fromCharCode(code - 0xfee0) : " ";
  });
}

export function redact(original: string): { text: string; redactions: Redaction[] } {
  const text = foldForMatching(original);
  const spans = new Spans(text.length);
  spans.add(detectEmails(text));
  spans.add(detectIds(text));
  spans.add(detectBankCards(text));
  spans.add(detectPhones(text));
  spans.add(detectPlates(text));
  const names = detectChineseNames(text, spans).length + spans.add(detectEnglishNames(text)).length;
  if (names > 0) spans.add(detectAmounts(text));

  const hits = spans.hits.filter((h) => h.replacement !== text.slice(h.start, h.end)).sort((a, b) => a.start - b.start);
  // What is not masked stays exactly as the owner pasted it.
  let out = "";
  let at = 0;
  for (const h of hits) {
    out += original.slice(at, h.start) + h.replacement;
    at = h.end;
  }
  out += original.slice(at);
  return { text: out, redactions: hits.map(({ kind, start, end }) => ({ kind, start, end })) };
}

/** The redacted text alone. */
export function redactText(text: string): string {
  return redact(text).text;
}
