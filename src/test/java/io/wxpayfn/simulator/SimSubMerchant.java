package io.wxpayfn.simulator;

import io.wxpayfn.order.WeChatPayRules;

/**
 * A sub-merchant (特约商户) bound to the simulated service provider: its {@code sub_mchid} and, when it
 * pays through a mini-program of its own, that mini-program's {@code sub_appid} (null: its orders are
 * paid through the provider's sp_appid).
 */
public record SimSubMerchant(String subMchid, String subAppid) {

    public SimSubMerchant {
        if (subMchid == null || !WeChatPayRules.MCHID.matcher(subMchid).matches()) {
            throw new IllegalArgumentException("sub_mchid must be 8-12 digits: " + subMchid);
        }
        if (subAppid != null && !WeChatPayRules.APPID.matcher(subAppid).matches()) {
            throw new IllegalArgumentException("sub_appid must be wx + 16 characters: " + subAppid);
        }
    }

    /** The appid the payer's openid belongs to: the sub-merchant's own mini-program, else the provider's. */
    public String payerAppid(String spAppid) {
        return subAppid == null ? spAppid : subAppid;
    }
}
