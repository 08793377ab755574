package io.wxpayfn.order;

import java.time.Duration;

/**
 * The merchant's settings the domain needs: whom orders are paid to, how long an order stays payable, and how
 * long after paying an owner may ask for a full refund themselves (zero: never).
 */
public record OrderPolicy(String appid, String mchid, Duration orderTtl, Duration ownerRefundWindow) {
}
