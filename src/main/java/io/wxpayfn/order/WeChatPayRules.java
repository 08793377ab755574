package io.wxpayfn.order;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * WeChat Pay's documented limits and error codes that our code branches on, each written once with its source. The
 * functions and the test simulator both read this table, so a misreading shows up as a wrong source here, not as a
 * simulator that agrees with the functions. Regular expressions are also given as strings, for annotations. Sources
 * (APIv3, 直连商户 / 服务商 are the same unless stated):
 * <ul>
 * <li>[JSAPI] JSAPI/小程序下单 request table, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_5_1.shtml (partner:
 * chapter3_5_1 under /apis/partner/... gives the same field limits; new site: pay.weixin.qq.com/doc/v3/merchant/...,
 * whose 查询订单 pages give mchid as "必填 string(32)").</li>
 * <li>[REFUND] 申请退款 notes and request table, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_5_9.shtml (English:
 * pay.weixin.qq.com/wiki/doc/api_external/en/apis/chapter3_3_3.shtml).</li>
 * <li>[ERRORS] the 公共错误码 table shared by every APIv3 endpoint and each endpoint's 业务错误码 table, e.g.
 * pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_5_2.shtml (查询订单) for ORDER_NOT_EXIST and chapter3_5_10 (查询单笔退款)
 * for RESOURCE_NOT_EXISTS; the 申请退款 table lists 500 SYSTEM_ERROR, 429 FREQUENCY_LIMITED, 403 NOT_ENOUGH, 404
 * RESOURCE_NOT_EXISTS, 400 PARAM_ERROR and 400 INVALID_REQUEST ("请求参数符合参数格式，但不符合业务规则").</li>
 * <li>[OBSERVED] not a documented rule but the shape every value WeChat issues has had; checked where a typo should
 * be caught before WeChat Pay sees it (the deployment's settings, an appid a request names), never as WeChat Pay's
 * own check (that is the documented length).</li>
 * </ul>
 */
public final class WeChatPayRules {

    private WeChatPayRules() {}

    /**
     * A mini-program appid (appid, sp_appid, sub_appid). [JSAPI] documents only string[1,32]; the form "wx" followed
     * by 16 letters or digits is [OBSERVED] (every appid WeChat issues), which catches a mistyped setting.
     */
    public static final String APPID_REGEX = "wx[0-9A-Za-z]{16}";

    public static final Pattern APPID = Pattern.compile(APPID_REGEX);
    public static final String APPID_FORM = "wx followed by 16 letters or digits";
    /** [JSAPI] appid / sp_appid / sub_appid: string[1,32], what WeChat Pay itself checks. */
    public static final int APPID_MAX_LENGTH = 32;

    /**
     * A merchant number (mchid, sp_mchid, sub_mchid). [JSAPI] documents only string[1,32]; 8 to 12 digits is
     * [OBSERVED] (商户号 are issued as 10 digits today, older ones are shorter).
     */
    public static final String MCHID_REGEX = "[0-9]{8,12}";

    public static final Pattern MCHID = Pattern.compile(MCHID_REGEX);
    public static final String MCHID_FORM = "8 to 12 digits";
    /** [JSAPI] mchid / sp_mchid / sub_mchid: string[1,32], what WeChat Pay itself checks. */
    public static final int MCHID_MAX_LENGTH = 32;

    /** [JSAPI] out_trade_no: string[6,32], "只能是数字、大小写字母_-|*", unique per merchant. */
    public static final String OUT_TRADE_NO_REGEX = "[0-9A-Za-z_\\-|*]{6,32}";

    public static final Pattern OUT_TRADE_NO = Pattern.compile(OUT_TRADE_NO_REGEX);
    public static final String OUT_TRADE_NO_FORM = "6 to 32 characters of 0-9A-Za-z_-|*";
    /** [JSAPI] the most characters out_trade_no may have (the {32} of {@link #OUT_TRADE_NO_REGEX}). */
    public static final int OUT_TRADE_NO_MAX_LENGTH = 32;

    /** [REFUND] out_refund_no: string[1,64], "只能是数字、大小写字母_-|*@", unique per merchant. */
    public static final String OUT_REFUND_NO_REGEX = "[0-9A-Za-z_\\-|*@]{1,64}";

    public static final Pattern OUT_REFUND_NO = Pattern.compile(OUT_REFUND_NO_REGEX);
    public static final String OUT_REFUND_NO_FORM = "1 to 64 characters of 0-9A-Za-z_-|*@";
    /** [REFUND] the most characters out_refund_no may have (the {64} of {@link #OUT_REFUND_NO_REGEX}). */
    public static final int OUT_REFUND_NO_MAX_LENGTH = 64;

    /** [JSAPI] description: string[1,127] (商品描述), counted in characters. */
    public static final int DESCRIPTION_MAX_LENGTH = 127;

    /** [REFUND] reason: string[1,80] (退款原因, shown to the user in the refund message), counted in characters. */
    public static final int REFUND_REASON_MAX_LENGTH = 80;

    /** [JSAPI] amount.total is an int of fen: nothing above 2^31-1 can be asked for. */
    public static final long MAX_TOTAL_FEN = Integer.MAX_VALUE;

    /** [REFUND] "每个支付订单的部分退款次数不能超过50次". */
    public static final int MAX_REFUNDS_PER_ORDER = 50;

    /**
     * [REFUND] "交易时间超过一年的订单无法提交退款" (and "当交易发生之后一年内 ... 卖家可以通过退款接口将支付金额退还给买家"),
     * counted from the payment's success_time. APIv2's 申请退款 gave this refusal its own code (TRADE_OVERDUE,
     * "订单已经超过可退款的最大期限(支付后一年内可退款)"); APIv3's table has none, so it is a 400 INVALID_REQUEST there.
     */
    public static final Duration REFUND_PERIOD = Duration.ofDays(365);

    /** [ERRORS] 500 SYSTEM_ERROR (系统错误/系统超时): "请不要更换商户退款单号，请使用相同参数再次调用API". */
    public static final String SYSTEM_ERROR = "SYSTEM_ERROR";

    public static final int SYSTEM_ERROR_STATUS = 500;

    /** [ERRORS] 429 FREQUENCY_LIMITED (频率超限): "请降低请求接口频率" and retry. */
    public static final String FREQUENCY_LIMITED = "FREQUENCY_LIMITED";

    public static final int FREQUENCY_LIMITED_STATUS = 429;

    /** [ERRORS] BANKERROR (银行系统异常), in the JSAPI 下单 table: "请用相同参数重新调用下单". */
    public static final String BANKERROR = "BANKERROR";

    /** [ERRORS] Codes meaning "try again later" even on a 4xx. */
    public static final Set<String> RETRYABLE_CODES = Set.of(SYSTEM_ERROR, FREQUENCY_LIMITED, BANKERROR);

    /** [ERRORS] ORDERPAID (订单已支付), answered by 下单 and 关闭订单 for an order that is already paid. */
    public static final String ORDERPAID = "ORDERPAID";

    /** [ERRORS] The HTTP status of a "no such order/refund/bill" answer. */
    public static final int NOT_FOUND_STATUS = 404;

    /** [ERRORS] 404 ORDER_NOT_EXIST (订单不存在): 查询订单 and 关闭订单 of an order WeChat Pay never received. */
    public static final String ORDER_NOT_EXIST = "ORDER_NOT_EXIST";

    /** [ERRORS] 404 RESOURCE_NOT_EXISTS: 查询单笔退款 (退款单不存在), 申请退款 (订单号不存在), 账单 (文件不存在). */
    public static final String RESOURCE_NOT_EXISTS = "RESOURCE_NOT_EXISTS";

    /** [ERRORS] ORDERNOTEXIST, as some partner endpoints (and APIv2) spell "no such order". */
    public static final String ORDERNOTEXIST = "ORDERNOTEXIST";

    /** [ERRORS] Codes of a {@link #NOT_FOUND_STATUS} answer that mean WeChat Pay has no such order or refund. */
    public static final Set<String> NOT_FOUND_CODES = Set.of(ORDER_NOT_EXIST, ORDERNOTEXIST, RESOURCE_NOT_EXISTS);
}
