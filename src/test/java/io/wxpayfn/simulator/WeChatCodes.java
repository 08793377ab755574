package io.wxpayfn.simulator;

/**
 * The WeChat Pay answers the simulator gives where the functions' behaviour depends on them, each with
 * the source it was taken from, named once here. Codes whose status the docs leave vague are listed in
 * docs/simulator.md ("Known differences").
 */
final class WeChatCodes {

    private WeChatCodes() {}

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
