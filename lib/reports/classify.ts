/**
 * A transparent, rule-based suggestion of what a reported message is, and which platform sent it.
 *
 * Pure TypeScript with no dependencies: the report form runs it in the browser as the owner types
 * and the server runs it again on submit, so both agree. Every rule is in `CATEGORY_RULES`, with an
 * id that says what it looked for ("debt_collection:逾期"); `classifyMessage` returns the ids that
 * matched, so the UI can say why it suggested what it did. The owner can always change the category.
 *
 * Measured against the hand-labelled messages in ./__fixtures__/labelled-messages.ts (see ./classify.test.ts).
 */

import { REPORT_CATEGORIES, type ReportCategory, type ReportChannel } from "@/db/enums";

// The lists are the database enums' (db/enums.ts: pure, so the browser can load them too).
export { REPORT_CATEGORIES, REPORT_CHANNELS } from "@/db/enums";
export type { ReportCategory, ReportChannel };

export interface Classification {
  category: ReportCategory;
  confidence: "high" | "low";
  /** Rule ids that matched, for transparency, e.g. "debt_collection:逾期". */
  matched: string[];
  scores: Record<ReportCategory, number>;
}

export interface CategoryRule {
  /** `${category}:${label}`: what the rule looked for, shown to explain a suggestion. */
  id: string;
  category: Exclude<ReportCategory, "other">;
  /** Added to the category's score when the rule matches. Negative weights are counter-evidence. */
  weight: number;
  /** All must match the normalised text (see `normalizeText`): lower case, half-width. */
  patterns: readonly RegExp[];
  /** The rule only counts for messages on this channel (e.g. call summaries). */
  channel?: ReportChannel;
}

/**
 * When two categories score the same, the first in this list wins: the categories that call for
 * the owner's caution (fraud), or that are most specific (a previous owner asking for a code is
 * more specific than the code itself; a collector's threat more than a lender's offer), come before
 * the generic ones. Marketing is last: almost anything commercial looks a little like marketing.
 */
export const CATEGORY_PRIORITY: readonly ReportCategory[] = [
  "fraud",
  "previous_owner",
  "verification_code",
  "debt_collection",
  "loan_credit",
  "government_notice",
  "ride_delivery",
  "marketing",
  "other",
];

/** A suggestion is "high" confidence when it scores at least this much… */
const HIGH_MIN_SCORE = 4;
/** …and leads the runner-up by at least this much. */
const HIGH_MIN_MARGIN = 3;

type RuleSpec = readonly [label: string, weight: number, test: RegExp | readonly RegExp[], channel?: ReportChannel];

/** A link, with or without a scheme: "https://x.example/a", "www.x.cn", "s.example/q8". */
const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.[a-z]{2,}\/|\b[a-z0-9-]+\.(com|cn|net|org|top|xyz|cc|vip|example|test)\b)/;

/**
 * The rules, by category. Chinese patterns need no word boundaries; English ones use `\b` so
 * "loan" does not match inside another word. Weights: 5–6 for phrases that nearly decide on their
 * own (安全账户, 原机主, 取件码), 3–4 for strong keywords, 1–2 for supporting ones.
 */
const RULE_SPECS: Record<Exclude<ReportCategory, "other">, readonly RuleSpec[]> = {
  debt_collection: [
    ["逾期", 3, /逾期|超期|拖欠|黑名单/],
    ["欠款", 3, /欠款|欠债|欠(我们|我司|平台|他们|你们)?.{0,4}(钱|款|账)|借钱不还|赖账|老赖/],
    ["不还", 2, /不还|未还|没还|还钱|未结清|结清|欠费|偿还|账款/],
    ["调解", 3, /调解|协商(还款|期限|方案)|最后协商/],
    ["催收", 4, /催收|催款|催缴/],
    ["还款", 2, /还款/],
    ["上门", 3, /上门|驱车|走访|前往您?的?(居住地|住所|家|单位)|去你(家|单位|公司|老家)|到你(家|单位|公司)/],
    ["起诉", 2, /起诉|诉讼|立案|财产保全|强制执行|依法追究|后果自负/],
    ["法院", 2, /法院/],
    ["通讯录", 3, /通讯录|紧急联系人|所有联系人|你的家人|亲友|发到朋友圈|曝光/],
    ["失联", 3, /失联|联系不上|拒不(还款|处理|联系)|恶意拖欠/],
    // The threat that follows the demand: "不然天天打给你", "否则…".
    ["否则", 2, /(不然|否则|再不).{0,12}(天天|每天|打给你|找你|上门|起诉|后果|去.{0,3}(老家|单位|家里|公司))/],
    ["律师函", 4, /律师函|律师事务所|本所受托/],
    ["律所送达", 3, /律所|律师|(文书|文件|函件).{0,4}送达/],
    ["法务", 3, /法务/],
    ["征信", 2, /上报征信|影响.{0,4}征信|征信/],
    ["违约", 2, /违约/],
    ["最后通知", 2, /最后通知|最后期限/],
    ["转告", 2, /转告/],
    ["本息", 2, /本息|欠款金额|待还金额/],
    ["资产管理", 3, /资产管理|委外|催收公司|移交(至|给)?.{0,4}(第三方|外包|机构)/],
    ["网贷", 2, /网贷/],
    ["overdue", 3, /\boverdue\b/],
    ["past due", 3, /\bpast due\b|\barrears\b/],
    ["collection", 3, /\bcollections?\b|\bdebt collector/],
    ["debt", 3, /\bdebts?\b|\bowes?\b|\bowed\b|\bunpaid\b|\bin default\b|\bdefaulted\b|\bdelinquen(t|cy)\b/],
    ["outstanding balance", 2, /\boutstanding\b/],
    ["legal action", 2, /\blegal action\b|\bsue\b|\blawsuit\b|\bcourt\b/],
    ["repayment", 2, /\brepay(ment)?s?\b|\bpay (it|this) back\b|\barrange (a )?payment\b|\bsettle\b/],
    ["borrower", 2, /\bborrower\b/],
    ["home visit", 3, /\b(send|sending) someone\b|\bvisit your (registered )?address\b|\bvisit (his|your|her) (home|work|office)\b|\bcontact (his|your|her) (family|relatives|employer)\b/],
    ["final notice", 2, /\bfinal notice\b|\blast warning\b|\bfurther action\b|\bescalate\b/],
    ["recovery team", 3, /\b(debt |our )?recovery (team|agent|department)\b|\bfield (agent|visit)\b|\bmissed (payments?|instal?lments?)\b/],
  ],
  loan_credit: [
    ["额度", 3, /额度/],
    ["借款", 2, /借款|可借|借钱|贷款|车贷|房贷|消费贷|经营贷|备用金|资金周转|周转资金|零首付/],
    ["提额", 4, /提额|提升额度|额度.{0,4}提升/],
    ["放款", 4, /放款|下款|秒批|秒到账|(\d+秒|\d+分钟|极速|快速)审核|审批通过/],
    ["预审批", 4, /预审批|预授信|已获批|获得.{0,6}(资格|名额)|专属(借款|额度|贷款)|最高可(借|贷|领|提)\d/],
    ["利息", 3, /日息|月息|年化|利率|低息|息费|免息|计息/],
    ["信用卡办理", 3, /信用卡.{0,6}(办理|申请|分期|额度)|办.{0,3}信用卡|下卡/],
    ["信用卡", 2, /信用卡|年费/],
    ["分期", 2, /分期/],
    ["无抵押", 4, /无抵押|无担保|凭身份证.{0,6}(借|贷|提现|可)/],
    ["急用钱", 2, /急用钱|缺钱/],
    ["提现", 2, /提现|到账/],
    ["随借随还", 3, /随借随还|先用后付|信用付/],
    // A lender's routine statement, not a collector's threat.
    ["还款日", 3, /还款日|本期应还|账单日/],
    ["如已还款请忽略", 2, /如已还款/],
    ["pre-approved", 4, /\bpre-?approved\b|\bpre-?qualified\b/],
    ["loan", 2, /\bloans?\b|\bborrow\b|\blend(ing|er)?\b/],
    ["credit limit", 3, /\bcredit (limit|line)\b/],
    ["interest", 2, /\binterest\b|\bapr\b|\bsplit (your )?(purchases?|payments?)\b|\bbuy now,? pay later\b/],
    ["low interest", 2, /\blow[- ]interest\b/],
    ["cash out", 2, /\bcash out\b|\bfunds in\b|\b(get|need) cash\b|\bcash fast\b|\bno collateral\b|\bapproval in\b|\binstant approval\b|\btight on cash\b|\bpayday\b|\bget up to [¥$£]/],
    ["apply now", 1, /\bapply (now|today|online)\b/],
  ],
  ride_delivery: [
    ["司机", 3, /司机|网约车|代驾/],
    ["师傅", 2, /师傅/],
    ["接单", 3, /接单/],
    ["乘客", 3, /乘客/],
    ["上车", 3, /上车|下楼上车/],
    ["行程", 2, /行程/],
    ["打车", 3, /打车|叫车|叫了.{0,6}车|出租车|快车|专车/],
    ["楼下等", 2, /(楼下|门口|路边|南门|北门|东门|西门).{0,4}等|等候/],
    ["外卖", 3, /外卖/],
    ["骑手", 4, /骑手|配送员|外卖小哥|外卖员|跑腿|闪送/],
    // 送达 alone is also how a court document is served: only the delivery-time phrasings count.
    ["取餐", 3, /取餐|(预计|已|即将).{0,8}送达|餐到了|送到.{0,8}(楼下|门口|家)/],
    ["货运", 3, /拉货|送货|货车|卸货|搬家/],
    ["快递", 3, /快递|送件|派件|你的件|的件/],
    ["包裹", 3, /包裹|快递柜|驿站/],
    ["取件码", 5, /取件码|凭码取件/],
    ["driver", 3, /\bdrivers?\b/],
    ["taxi", 3, /\btaxi\b|\bcab\b|\bride\b/],
    ["courier", 4, /\bcouriers?\b|\bdelivery (man|guy|rider)\b|\briders?\b/],
    ["parcel", 3, /\bparcels?\b|\bpackages?\b/],
    ["arriving", 2, /\barriv(ing|ed|e)\b/],
    ["waiting outside", 2, /\b(outside|downstairs)\b|\bwaiting\b|\bpick ?up\b/],
    ["delivery", 2, /\bdeliver(y|ed)?\b|\border #?\d|\bon (its|the|his) way\b|\bpicked up\b/],
    ["plate", 2, /\bplate\b/],
    // On a call, a driver or courier is the usual reason a stranger asks for the previous owner.
    ["call:司机/快递", 1, /司机|快递|外卖|骑手|\bdriver\b|\bcourier\b/, "call"],
  ],
  government_notice: [
    ["街道办", 4, /街道办|街道办事处|\bstreet office\b/],
    ["街道", 2, /街道/],
    ["社区", 3, /社区|居委会|村委会|网格员/],
    ["社保", 3, /社保|社会保险|医保|(养老|失业|医疗|工伤|生育)保险/],
    ["公积金", 4, /公积金/],
    ["水电燃气", 4, /水费|电费|燃气|煤气|供暖|物业费|电力公司|供电|自来水|电表|水表|抄表/],
    ["停水停电", 3, /停水|停电|停气/],
    ["户号", 2, /户号|缴费户/],
    ["派出所", 3, /派出所/],
    ["户籍", 3, /户籍|户口|居住证|身份证.{0,4}(领取|换领|办理)/],
    ["政务", 3, /政务|政府|12345|人社|社保局|税务局|民政|房管局|卫健委|车管所|交管/],
    ["核酸", 4, /核酸|疫苗|接种|疾控|卫生院|人口普查/],
    ["滞纳金", 2, /滞纳金/],
    ["缴纳", 1, /缴纳|缴存|缴费/],
    ["携带身份证", 1, /携带.{0,4}身份证/],
    ["居民", 1, /居民/],
    ["核实居住", 2, /核实.{0,8}(居住|人口|住户)/],
    ["council", 4, /\bcouncil\b/],
    ["utility bill", 4, /\b(utility|electricity|water|gas|power) bill\b|\b(water|power|electricity|gas)( supply)? (will be )?(shut|cut|turned) off\b|\b(power|water) outage\b|\bmeter reading\b|\bproperty management\b|\bmunicipal\b|\b(gas|water|electricity) (supply|meter|safety)\b/],
    ["community office", 3, /\bcommunity (office|centre|center|worker)\b|\bneighbou?rhood committee\b/],
    ["census", 4, /\bcensus\b/],
    ["household registration", 3, /\bhousehold registration\b|\bresidence permit\b|\bhukou\b/],
    ["social security", 3, /\bsocial (security|insurance)\b|\bhousing fund\b/],
    ["late fee", 2, /\blate (fee|payment charge)\b/],
    ["residents", 1, /\bresidents?\b/],
  ],
  verification_code: [
    ["验证码", 5, /验证码|校验码|动态码|动态密码|确认码|授权码|短信码|安全码|登录码/],
    ["码+数字", 2, /码\s*[:是为]?\s*\d{4,8}\b|\b\d{4,8}\s*[,.]?\s*(为|是)?您?的?(验证|校验|动态)码/],
    ["请勿泄露", 2, /请勿泄[露漏]|切勿(告知|泄[露漏])|请勿(告诉|转发|告知)|请勿向任何人|不要告诉(任何人|他人)|泄[露漏]/],
    ["有效期", 1, /分钟内有效|\d+分钟有效|有效期/],
    ["如非本人操作", 2, /(如|若)非本人操作|如非本人|不是本人操作/],
    ["您正在", 1, /您正在(登录|修改|绑定|进行|申请|办理|注册|重置|异地)/],
    ["不会索取", 2, /不会(向您)?索取/],
    ["code is", 4, /\b(verification|security|login|one[- ]time|confirmation|otp|sms) code\b|\bcode( is|:)\s*\d/],
    ["your code", 3, /\b(your|the) .{0,24}\bcode is\b|\bis your .{0,30}\b(code|pin|confirmation number|verification number)\b|\buse \d{4,8} to\b/],
    ["otp", 4, /\botp\b|\bpasscode\b/],
    ["don't share", 2, /\b(don'?t|do not|never) share\b/],
    ["expires", 2, /\b(code )?expires? in\b|\bvalid for \d+/],
    ["didn't request", 2, /\b(didn'?t|did not) request\b/],
  ],
  previous_owner: [
    ["原机主", 6, /原机主|前任?机主|原号主|前号主|原主人|这个号(码)?的(主人|机主)|上一任机主|之前的机主|原来的机主|号(码)?(以前|之前|原来)的(主人|机主|用户)/],
    [
      "这个号以前是我的",
      6,
      /(这个|此)(手机)?号(码)?(以前|之前|原来)?是我的|(之前|以前|原来)用这个(手机)?号|(我|他|她)(以前|之前|原来)的(手机)?号|(这个?|此)(手机)?号(码)?我?(以前|之前|原来)?用了|这个(手机)?号(码)?我之前|(以前|之前|原来)用这个号码的人|(这个?|此)(手机)?号(码)?是?.{0,3}(以前|之前|原来)(的|用|在用|是)|(号码?|号)(原来|以前|之前)的?主人|(以前|之前|原来)(这个?|此)(手机)?号(码)?是(我|他|她)/,
    ],
    // Asking for a code is what separates the previous owner from the code SMS itself.
    // "他人"/"她人" (as in "请勿转发给他人") is excluded.
    [
      "索要验证码",
      5,
      /验证(码|吗).{0,30}(告诉|发给?|转给?|念给|读给|截图发?给?)(我|他|她)(?!人)|(告诉|发给|转给)(我|他|她)(?!人).{0,8}验证(码|吗)/,
    ],
    ["还绑着这个号", 3, /还绑着|没来得及解绑|换绑|解绑/],
    ["新办的号", 2, /新(办|换|买)的(这个)?号/],
    ["停机放号", 4, /放号|号(码)?被回收|停机.{0,6}(被|放)/],
    ["帮我收短信", 5, /帮(我|他|她)(接收|收|转).{0,8}(短信|验证码)|短信.{0,6}转(发)?给(我|他|她)(?!人)|短信.{0,10}告诉(我|他|她)(?!人)/],
    ["号码还给我", 3, /(号码?|号).{0,4}(还给我|转让|转回)|把号码.{0,4}给(我|他|她)/],
    ["补偿", 1, /补偿|红包/],
    ["used to own this number", 6, /\bused to (own|have|use) this (number|phone)\b|\bthis (phone )?number (was|used to be) (mine|his|hers)\b|\bthis was my (phone )?number\b|\b(i|he|she|my \w+( \w+)?) had this (phone )?number\b|\b(his|her|my) (old|previous|former) number\b/],
    ["previous owner", 6, /\bprevious (owner|holder)\b|\bformer owner\b/],
    ["asks for the code", 5, /\b(forward|send|tell|give|read|text)( out)? (me|him|her|them)?.{0,20}\bcodes?\b|\bcodes? you (just )?(got|received)\b|\b(codes?|texts?|messages?)\b.{0,40}\b(text|send|forward|tell) (it|them) to (me|him|her)\b/],
    ["still linked", 2, /\bstill (linked|bound|registered)\b|\b(tied|linked|bound|registered) to (it|this number)\b/],
    // On a call nobody reads a code SMS out: a caller who mentions a code wants it.
    ["call:验证码", 3, /验证(码|吗)|\bcodes?\b/, "call"],
  ],
  marketing: [
    ["退订", 2, /退订|回t\b|回td\b|拒收请回复|回复r拒收|\br拒收/],
    ["优惠", 3, /优惠|特惠|特价|折扣|立减|满减|满\d+减\d+|充\d+送\d+|送(半年|一年|\d+个月)|无门槛|包邮|买一送一|会员日|回馈|惠顾|新老顾客/],
    ["促销", 3, /促销|大促|酬宾|狂欢|秒杀|抢购|开抢|爆款|清仓|补贴|直降|手慢无|周年庆/],
    ["折", 2, /[\d一二三四五六七八九](\.\d)?折|低至/],
    ["红包券", 1, /红包|券|礼品|赠送|免费/],
    ["积分", 2, /积分.{0,8}(清零|兑换|过期)|会员/],
    ["降价", 2, /降价|原价|现价|限时|仅限今[天日]/],
    ["开业", 2, /开业|试营业|新店|新品|上新|报名|试听|到店|欢迎光临|培训|(暑假|寒假|周末)班/],
    ["邀请好友", 3, /邀请好友|好友助力|首单|新人(专享|礼)|打车金|返现/],
    ["推销", 3, /推销|推广|楼盘|看房|售楼|样板间|理财产品|业务员|装修公司|宽带|套餐升级/],
    // A call summary: "…打电话问我要不要…" is how owners describe a sales call.
    ["call:问要不要", 2, /问(我)?(要不要|需不需要|有没有兴趣)/, "call"],
    ["领取", 1, /(立即|点击)领取|快来|戳/],
    ["reply stop", 2, /\b(reply|txt|text|send) stop\b|\bunsubscribe\b|\bopt[- ]out\b/],
    ["sale", 3, /\b(flash |big |summer )?sale\b|\bpromotion\b|\bpromo\b|\b(promo|discount|coupon) code\b|\buse code [a-z]+\d*\b|\bnew collection\b|\bjust dropped\b/],
    ["% off", 3, /\d+% off\b|[¥$£]\s?\d+ off\b|\bdiscounts?\b|\bsavings\b|\bbuy one,? get one\b|\bfree (gift|shipping|delivery)\b/],
    ["shop now", 2, /\bshop now\b|\bbuy now\b|\blimited time\b|\bthis weekend only\b|\blast chance\b|\buntil midnight\b|\bsave\b.{0,15}\d+%/],
    ["sales call", 3, /\bsales (call|pitch)\b|\btelemarket/],
    ["offer", 1, /\boffer(s|ing)?\b|\bnew members?\b/],
    ["free extra", 2, /\bfor free\b|\bfree for \d|\bextra data\b|\bupgrade your (plan|package)\b/],
  ],
  fraud: [
    ["安全账户", 6, /安全账户|指定账户|资金核查|\bsafe account\b/],
    ["公检法", 6, /公检法|办案民警|检察院|通缉/],
    ["冒充", 3, /冒充|假冒|假装/],
    // Weak on its own: collectors "claim" to be from a legal department too.
    ["自称", 2, /自称/],
    ["公安", 2, /公安|警察|民警/],
    ["涉嫌", 4, /涉嫌|洗钱|涉案|违禁品|涉毒/],
    ["冻结", 3, /冻结|解冻|解除限制|封禁|封号|注销|即将停用/],
    ["传票", 2, /传票/],
    ["按键转人工", 3, /按\d.{0,2}(转|转接)|请勿挂断/],
    ["转账", 2, /转账|汇款|转到|打款|打钱|转钱|转\d+/],
    ["银行卡号", 3, /银行卡号|(提供|回复|发送).{0,6}(身份证号|卡号|密码)/],
    ["账户异常", 3, /(卡|账户|账号).{0,4}(存在)?异常|异常(使用|交易)|异常登录.{0,10}点击/],
    ["验证身份+链接", 2, [/(点击|登录|访问)/, LINK]],
    ["验证身份", 2, /验证身份|身份认证|重新认证/],
    ["中奖", 4, /中奖|抽中|幸运用户|领奖/],
    ["补贴领取+银行卡", 4, /补贴.{0,10}领取|填写.{0,6}银行卡|银行卡信息/],
    ["手续费", 2, /手续费|保证金|解冻费/],
    ["理赔", 4, /理赔|赔付金|领取.{0,6}赔付|丢失.{0,10}赔偿|[2-9三四五]倍赔偿/],
    ["加客服QQ/微信", 4, /(添加|加).{0,4}(qq|微信|客服)/],
    ["消除不良记录", 5, /消除.{0,4}(不良|逾期)?记录|修复征信|征信修复|注销.{0,4}校园贷/],
    ["etc失效", 4, /etc.{0,6}(失效|过期|认证)/],
    ["冒充亲友", 5, [/(^|[,.!? ])(爸|妈|老婆|老公|儿子|闺女)[,.! ]/, /(换号|新号)/, /(转|打|汇).{0,8}(\d|钱)/]],
    ["急需用钱", 2, /急需用钱|急需.{0,4}钱/],
    ["急病急事要钱", 4, /(手术费|医药费|住院费|保释金|出车祸|被抓)/],
    ["退款下载软件", 5, /(下载|安装).{0,8}(会议|软件|app)|屏幕共享|共享屏幕|(质量问题|丢失|损坏).{0,12}退款/],
    ["猜猜我是谁", 5, /猜猜我是谁/],
    ["will be frozen", 4, /\b(will be|has been|is) (frozen|suspended|locked|deactivated|blocked|closed)\b/],
    ["money laundering", 5, /\bmoney laundering\b|\bcriminal case\b|\barrest warrant\b/],
    ["family in trouble", 5, [/\b(mum|mom|dad|mother|father)\b/, /\bnew (phone )?number\b/, /\b(send|transfer|lend|need) (me )?(some )?(money|cash)\b/]],
    ["impersonation", 3, /\bclaim(ed|ing|s)? to be\b|\bpretend(ed|ing)? to be\b|\bimpersonat/],
    ["police", 2, /\bpolice\b|\bprosecutor\b|\bofficer\b|\bpress \d\b/],
    ["suspicious activity", 2, /\bsuspicious (activity|login)\b|\bunusual activity\b/],
    ["update card details", 4, /\bupdate (your )?(card|payment|bank|billing) (details|information|info)\b/],
    ["verify now", 2, /\bverify (now|immediately|your (identity|account))\b/],
    ["transfer money", 3, /\b(transfer|move|wire) (the |my |your )?(money|funds)\b/],
    ["prize", 4, /\byou(r number)? (have )?won\b|\bprize\b|\blottery\b|\bwinner\b/],
    ["processing fee", 3, /\b(processing|handling|release) fee\b/],
  ],
};

const rulesFrom = (specs: typeof RULE_SPECS): CategoryRule[] =>
  (Object.keys(specs) as (keyof typeof specs)[]).flatMap((category) =>
    specs[category].map(([label, weight, test, channel]) => ({
      id: `${category}:${label}`,
      category,
      weight,
      patterns: Array.isArray(test) ? test : [test as RegExp],
      ...(channel ? { channel } : {}),
    })),
  );

/** Every rule the classifier applies, in order: exported so the UI can explain a suggestion. */
export const CATEGORY_RULES: readonly CategoryRule[] = rulesFrom(RULE_SPECS);

/** Punctuation NFKC leaves alone but people type in either form. */
const PUNCTUATION: Record<string, string> = { "。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"', "〜": "~" };

/**
 * The text the rules see: NFKC (full-width letters, digits and punctuation become half-width:
 * "ＴＤ" → "td", "，" → ","), a few more punctuation marks mapped, zero-width characters dropped
 * (spammers use them to break keywords), lower case, whitespace collapsed.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/[。、“”‘’「」『』〜]/g, (c) => PUNCTUATION[c] ?? c)
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const emptyScores = (): Record<ReportCategory, number> =>
  Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;

/**
 * Suggests a category for a pasted SMS or a call summary: every rule that matches adds its weight
 * to its category, the highest score wins (ties by `CATEGORY_PRIORITY`), "other" when nothing
 * scores. `confidence` is "high" only for a clear lead; the form shows a "low" suggestion as a guess.
 */
export function classifyMessage(input: { text: string; channel?: ReportChannel; sender?: string }): Classification {
  const text = normalizeText(input.text);
  const scores = emptyScores();
  const matched: string[] = [];
  if (text) {
    for (const rule of CATEGORY_RULES) {
      if (rule.channel && rule.channel !== input.channel) continue;
      if (rule.patterns.every((p) => p.test(text))) {
        scores[rule.category] += rule.weight;
        matched.push(rule.id);
      }
    }
  }

  const ranked = [...CATEGORY_PRIORITY].sort((a, b) => scores[b] - scores[a]); // stable: ties keep priority order
  const top = ranked[0]!;
  if (scores[top] <= 0) return { category: "other", confidence: "low", matched, scores };
  const runnerUp = Math.max(0, scores[ranked[1]!]);
  const confidence = scores[top] >= HIGH_MIN_SCORE && scores[top] - runnerUp >= HIGH_MIN_MARGIN ? "high" : "low";
  return { category: top, confidence, matched, scores };
}

// ── Platform detection ────────────────────────────────────────────────────────────────────────

export interface PlatformSignature {
  id: string;
  names: string[];
  senderIds: string[];
}
export interface DetectedPlatform {
  id: string;
  via: "signature" | "sender" | "name";
}

/** A signature is a short label: longer bracketed text is something else. */
const SIGNATURE_MAX = 24;
const OPEN = "【\\[［〖";
const CLOSE = "】\\]］〗";
const SIGNATURE_AT_START = new RegExp(`^\\s*[${OPEN}]([^${OPEN}${CLOSE}\\n]{1,${SIGNATURE_MAX}})[${CLOSE}]`);
const SIGNATURE_AT_END = new RegExp(`[${OPEN}]([^${OPEN}${CLOSE}\\n]{1,${SIGNATURE_MAX}})[${CLOSE}]\\s*$`);

/** The 【…】 / [...] signature at the start or end of a Chinese SMS, if any (e.g. "易贷花"). */
export function smsSignature(text: string): string | null {
  for (const re of [SIGNATURE_AT_START, SIGNATURE_AT_END]) {
    const inner = re.exec(text)?.[1]?.trim();
    // "[1/2]" (a split SMS) or "[图片]"-style markers are not signatures: require a letter.
    if (inner && /\p{L}/u.test(inner) && !/^(图片|语音|表情|image|photo)$/i.test(inner)) return inner;
  }
  return null;
}

/** "连信（沙盒）" / "Linkup Chat (sandbox)" → "连信" / "linkup chat". */
function normalizeName(name: string): string {
  return normalizeText(name)
    .replace(/\s*\(\s*(沙盒|sandbox)\s*\)\s*$/, "")
    .trim();
}

/**
 * The forms a sender id can match in: "+86 106-9000-3001" → ["10690003001"]; "8613800138000" →
 * ["8613800138000", "13800138000"]; a name-like sender ("易贷花") → its normalised name.
 */
function senderKeys(sender: string): string[] {
  const compact = normalizeName(sender).replace(/[\s\-()]/g, "");
  if (!/^\+?\d+$/.test(compact)) return compact ? [compact] : [];
  const digits = compact.replace(/^\+/, "");
  const national = /^(?:0086|86)(\d{5,})$/.exec(digits)?.[1];
  return national ? [digits, national] : [digits];
}

const HAN = /\p{Script=Han}/u;
/** After a two-character Chinese name, words that show it is the platform being talked about. */
const PLATFORM_CONTEXT = "(平台|app|账号|账户|帐号|的|客服|官方|上|里|注册|绑定|登录|验证|会员|支付|钱包|借款|贷款|订单|司机|骑手|骑士)";

/** Before a two-character Chinese name that ends its word: "注册了连信，", "在速借。". */
const PLATFORM_LEAD = "(了|在|用|登录|注册|下载|打开|是|从|给|把|找|和|的)";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Where `name` (normalised) is mentioned in `text` (normalised) as a whole name, or -1. Latin names
 * need word boundaries ("coin pay", not inside "bitcoin payment"); Chinese names of three or more
 * characters match anywhere; two-character Chinese names, which often occur inside ordinary words
 * (速借 in 快速借款, 连信 in 连信号), only when not glued to another Chinese character before
 * them, when followed by a word that marks a platform (速借的, 速借app, 速借平台), or when they end
 * the word after a particle or verb (注册了连信，).
 */
function mentionIndex(text: string, name: string): number {
  const chars = [...name];
  if (chars.length < 2) return -1;
  if (/[a-z0-9]/.test(name) && !HAN.test(name)) {
    const body = escapeRegExp(name).replace(/ /g, "\\s?");
    return text.search(new RegExp(`(?<![a-z0-9])${body}(?![a-z0-9])`));
  }
  if (chars.length >= 3) return text.indexOf(name);
  const n = escapeRegExp(name);
  return text.search(new RegExp(`(?<!\\p{Script=Han})${n}|${n}(?=${PLATFORM_CONTEXT})|(?<=${PLATFORM_LEAD})${n}(?!\\p{Script=Han})`, "u"));
}

/**
 * Which registered platform a message came from: the sender's number or id (exact), then the
 * 【signature】 against the platforms' names and sender ids, then a platform's name mentioned in
 * the text (the earliest mention, the longest name on a tie). Null when nothing matches: a company
 * that is not in the registry is not guessed at.
 */
export function detectPlatform(input: { text: string; sender?: string }, registry: PlatformSignature[]): DetectedPlatform | null {
  if (input.sender?.trim()) {
    const keys = new Set(senderKeys(input.sender));
    const hit = registry.find((p) => [...p.senderIds, ...p.names].some((id) => senderKeys(id).some((k) => keys.has(k))));
    if (hit) return { id: hit.id, via: "sender" };
  }

  const signature = smsSignature(input.text);
  if (signature) {
    const sig = normalizeName(signature);
    const hit = registry.find((p) => [...p.names, ...p.senderIds].some((n) => normalizeName(n) === sig));
    if (hit) return { id: hit.id, via: "signature" };
  }

  const text = normalizeText(input.text);
  let best: { id: string; at: number; length: number } | null = null;
  for (const p of registry) {
    for (const raw of p.names) {
      const name = normalizeName(raw);
      const at = mentionIndex(text, name);
      if (at < 0) continue;
      if (!best || at < best.at || (at === best.at && name.length > best.length)) best = { id: p.id, at, length: name.length };
    }
  }
  return best ? { id: best.id, via: "name" } : null;
}
