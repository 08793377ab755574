package io.wxpayfn.order;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The merchant's settings the domain needs: whom orders are paid to, how long an order stays payable, and how
 * long after paying an owner may ask for a full refund themselves (zero: never). Direct mode: {@code appid} and
 * {@code mchid} are the merchant's and {@code subMerchants} is empty. Partner mode: they are the service
 * provider's sp_appid and sp_mchid, and {@code subMerchants} the sub-merchants it takes payments for here.
 */
public record OrderPolicy(
        String appid, String mchid, Duration orderTtl, Duration ownerRefundWindow, List<SubMerchant> subMerchants) {

    public OrderPolicy {
        subMerchants = List.copyOf(subMerchants);
    }

    /** A direct merchant's policy. */
    public OrderPolicy(String appid, String mchid, Duration orderTtl, Duration ownerRefundWindow) {
        this(appid, mchid, orderTtl, ownerRefundWindow, List.of());
    }

    public boolean partner() {
        return !subMerchants.isEmpty();
    }

    /** The configured sub-merchant with this sub_mchid. */
    public Optional<SubMerchant> subMerchant(String subMchid) {
        return subMerchants.stream().filter(s -> s.subMchid().equals(subMchid)).findFirst();
    }
}
