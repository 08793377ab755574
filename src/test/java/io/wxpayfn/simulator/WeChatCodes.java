package io.wxpayfn.simulator;

import io.wxpayfn.order.WeChatPayRules;

/**
 * The WeChat Pay answers the simulator gives where the functions' behaviour depends on them, each with
 * the source it was taken from, named once here. Codes and statuses the functions branch on are read from
 * {@link WeChatPayRules} (the functions' own table, with its sources), so the simulator cannot answer a
 * code the functions do not expect. Codes whose status the docs leave vague are listed in docs/simulator.md
 * ("Known differences").
 */
final class WeChatCodes {

    private WeChatCodes() {}

    /** 404 ORDER_NOT_EXIST, 订单不存在: 查询订单 / 关闭订单 of an order WeChat Pay does not hold ([ERRORS]). */
    static ApiError orderNotExist() {
        return new ApiError(WeChatPayRules.NOT_FOUND_STATUS, WeChatPayRules.ORDER_NOT_EXIST, "订单不存在");
    }

    /** 404 RESOURCE_NOT_EXISTS, 退款单不存在: 查询单笔退款 of a refund WeChat Pay does not hold ([ERRORS]). */
    static ApiError refundNotExist() {
        return new ApiError(WeChatPayRules.NOT_FOUND_STATUS, WeChatPayRules.RESOURCE_NOT_EXISTS, "退款单不存在");
    }

    /** 404 RESOURCE_NOT_EXISTS, 订单号不存在: 申请退款 naming an order WeChat Pay does not hold ([ERRORS]). */
    static ApiError refundedOrderNotExist() {
        return new ApiError(WeChatPayRules.NOT_FOUND_STATUS, WeChatPayRules.RESOURCE_NOT_EXISTS, "订单号不存在");
    }

    /** 404 RESOURCE_NOT_EXISTS for a bill download token that names no file ([ERRORS], 下载账单). */
    static ApiError billFileNotExist() {
        return new ApiError(WeChatPayRules.NOT_FOUND_STATUS, WeChatPayRules.RESOURCE_NOT_EXISTS, "账单文件不存在或下载链接已失效");
    }

    /**
     * ORDERPAID, 订单已支付: 下单 or 关闭订单 of an order already paid (JSAPI 下单 / 关闭订单 error tables); the status
     * 400 is the simulator's choice (docs/simulator.md, "Known differences"), the functions branch on the code only.
     */
    static ApiError orderPaid() {
        return new ApiError(400, WeChatPayRules.ORDERPAID, "该订单已支付");
    }

    /** 500 SYSTEM_ERROR, 系统错误 ([ERRORS]): what WeChat Pay answers when it fails itself. */
    static ApiError systemError() {
        return new ApiError(WeChatPayRules.SYSTEM_ERROR_STATUS, WeChatPayRules.SYSTEM_ERROR, "系统错误");
    }

    /**
     * A refund of a payment older than {@link WeChatPayRules#REFUND_PERIOD}. APIv3's 申请退款 error table has
     * no code of its own for it, so it is the table's 400 INVALID_REQUEST ("请求参数符合参数格式，但不符合业务规则
     * ... 商户可根据具体的错误提示做相应的处理"); the message is APIv2's for the same refusal (TRADE_OVERDUE,
     * "订单已经超过退款期限", pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_4). The real APIv3 wording is
     * not documented.
     */
    static ApiError refundPeriodPassed() {
        return ApiError.invalidRequest("订单已经超过退款期限: 交易时间超过一年的订单无法提交退款");
    }

    /** The 51st refund of one order: 400 INVALID_REQUEST, as every business-rule refusal of 申请退款 ([REFUND]). */
    static ApiError refundCountExceeded() {
        return ApiError.invalidRequest("退款次数超过限制，每笔订单最多退款" + WeChatPayRules.MAX_REFUNDS_PER_ORDER + "次");
    }

    /**
     * A sub_mchid that is not bound to the calling service provider (no 受理关系): HTTP 403 {@code NO_AUTH},
     * message 受理关系不存在. Sources: WeChat Pay's APIv3 error tables give 403 NO_AUTH for a missing
     * provider/sub-merchant relationship (e.g. the e-commerce sub-merchant APIs: "NO_AUTH … 请确认…是否存在受理关系",
     * pay.weixin.qq.com/wiki/doc/apiv3/wxpay/ecommerce/fund/chapter3_3.shtml), and WeChat Pay's developer
     * community reports the partner JSAPI prepay answering "NO_AUTH - 受理关系不存在"
     * (developers.weixin.qq.com/community/pay/doc/000a2492f90a1857e6920295567000).
     */
    static ApiError subMerchantNotBound(String subMchid) {
        return new ApiError(403, "NO_AUTH", "受理关系不存在: sub_mchid " + subMchid + " 与服务商商户号无受理关系");
    }

    /**
     * sp_appid not bound to sp_mchid, or sub_appid not bound to sub_mchid: HTTP 400
     * {@code APPID_MCHID_NOT_MATCH} (JSAPI 下单 error table, "AppID和mch_id不匹配", the same code the
     * direct prepay answers).
     */
    static ApiError appidNotBound(String field) {
        return new ApiError(400, "APPID_MCHID_NOT_MATCH", field + " 与商户号不匹配", field);
    }
}
