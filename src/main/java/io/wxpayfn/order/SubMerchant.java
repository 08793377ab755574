package io.wxpayfn.order;

import java.util.Objects;

/**
 * A sub-merchant (特约商户) a service provider takes payments for in partner mode: its {@code subMchid} and, when
 * its orders are paid in a mini-program of its own, that mini-program's {@code subAppid} (null: they are paid in
 * the provider's mini-program, sp_appid). An order records the one it is paid to, with the sub_appid it used.
 */
public record SubMerchant(String subMchid, String subAppid) {

    public SubMerchant {
        Objects.requireNonNull(subMchid, "subMchid");
    }

    /** The appid the payer's openid belongs to and wx.requestPayment is signed for. */
    public String payerAppid(String spAppid) {
        return subAppid == null ? spAppid : subAppid;
    }
}
