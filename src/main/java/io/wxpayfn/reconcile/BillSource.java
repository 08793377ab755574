package io.wxpayfn.reconcile;

import java.time.LocalDate;

/**
 * The port to WeChat Pay's bills: the wechat package implements it through the SDK, verifying the file's hash.
 * Throws {@link io.wxpayfn.order.WeChatPayUnavailableException} when WeChat Pay fails and
 * {@link io.wxpayfn.order.WeChatPayRejectedException} when it refuses (e.g. NO_STATEMENT_EXIST: no bill yet).
 */
public interface BillSource {

    /**
     * The whole trade bill (bill_type ALL) of the date, as text, after its hash was checked: a direct merchant's
     * ({@code subMchid} null), or the trades of one sub-merchant of a service provider.
     */
    String tradeBill(LocalDate billDate, String subMchid);
}
