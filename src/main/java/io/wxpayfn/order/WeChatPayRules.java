package io.wxpayfn.order;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * WeChat Pay's documented limits and error codes that our code branches on, each written once with its source. The
 * functions and the test simulator both read this table, so a misreading shows up as a wrong source here, not as a
 * simulator that agrees with the functions. Regular expressions are also given as strings, for annotations. Sources (APIv3, 直连商户 / 服务商 are the same unless stated):
 * <ul>
 * <li>[JSAPI] JSAPI/小程序下单 request table, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_5_1.shtml (partner:
 * chapter3_5_1 under /apis/partner/... gives the same field limits).</li>
 * <li>[REFUND] 申请退款 notes and request table, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_5_9.shtml (English:
 * pay.weixin.qq.com/wiki/doc/api_external/en/apis/chapter3_3_3.shtml).</li>
 * <li>[ERRORS] the 公共错误码 table shared by every APIv3 endpoint and each endpoint's 业务错误码 table, e.g.
 * pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_5_2.shtml (查询订单) for ORDER_NOT_EXIST and chapter3_5_10 (查询单笔退款)
 * for RESOURCE_NOT_EXISTS.</li>
 * </ul>
 */
public final class WeChatPayRules {

    private WeChatPayRules() {}

    /** [JSAPI] out_trade_no: string[6,32], "只能是数字、大小写字母_-|*", unique per merchant. */
    public static final String OUT_TRADE_NO_REGEX = "[0-9A-Za-z_\\-|*]{6,32}";

    public static final Pattern OUT_TRADE_NO = Pattern.compile(OUT_TRADE_NO_REGEX);
    public static final String OUT_TRADE_NO_FORM = "6 to 32 characters of 0-9A-Za-z_-|*";

    /** [REFUND] out_refund_no: string[1,64], "只能是数字、大小写字母_-|*@", unique per merchant. */
    public static final String OUT_REFUND_NO_REGEX = "[0-9A-Za-z_\\-|*@]{1,64}";

    public static final Pattern OUT_REFUND_NO = Pattern.compile(OUT_REFUND_NO_REGEX);
    public static final String OUT_REFUND_NO_FORM = "1 to 64 characters of 0-9A-Za-z_-|*@";

    /** [JSAPI] description: string[1,127] (商品描述). */
    public static final int DESCRIPTION_MAX_LENGTH = 127;

    /** [JSAPI] amount.total is an int of fen: nothing above 2^31-1 can be asked for. */
    public static final long MAX_TOTAL_FEN = Integer.MAX_VALUE;

    /** [REFUND] "每个支付订单的部分退款次数不能超过50次". */
    public static final int MAX_REFUNDS_PER_ORDER = 50;

    /** [REFUND] "交易时间超过一年的订单无法提交退款". */
    public static final Duration REFUND_PERIOD = Duration.ofDays(365);

    /** [ERRORS] Codes meaning "try again later" even on a 4xx: 500 SYSTEM_ERROR, 429 FREQUENCY_LIMITED, BANKERROR. */
    public static final Set<String> RETRYABLE_CODES = Set.of("SYSTEM_ERROR", "FREQUENCY_LIMITED", "BANKERROR");

    /**
     * [ERRORS] Codes of a 404 that mean WeChat Pay has no such order or refund: ORDER_NOT_EXIST (查询订单),
     * RESOURCE_NOT_EXISTS (查询单笔退款, 账单), and ORDERNOTEXIST as some partner endpoints spell it.
     */
    public static final Set<String> NOT_FOUND_CODES = Set.of("ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS");
}
