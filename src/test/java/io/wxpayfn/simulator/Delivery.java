package io.wxpayfn.simulator;

import java.time.Instant;

/**
 * One HTTP request the simulator made (or, for {@link Kind#DROPPED}, deliberately did not make) to a
 * notify_url.
 *
 * @param attempt 1 for the first delivery, 2… for WeChat's retries; 0 for extra copies and probes
 * @param status the receiver's HTTP status, or -1 when there was none (timeout, refused, dropped)
 * @param serial the Wechatpay-Serial it was signed under (null when dropped)
 */
public record Delivery(
        String notificationId,
        String eventType,
        String outTradeNo,
        String outRefundNo,
        int attempt,
        Kind kind,
        int status,
        String error,
        Instant at,
        String serial) {

    public enum Kind {
        GENUINE,
        DUPLICATE,
        REDELIVERY,
        DROPPED,
        SIGNTEST_PROBE,
        TAMPERED_BODY,
        BAD_SIGNATURE,
        OLD_TIMESTAMP,
        UNKNOWN_SERIAL,
        AMOUNT_MISMATCH,
        ALTERED_RESOURCE
    }

    /** True when the receiver acknowledged it, i.e. WeChat Pay would stop retrying. */
    public boolean acknowledged() {
        return status >= 200 && status < 300;
    }

    /** Whether this delivery concerns the order or refund with this merchant number. */
    public boolean concerns(String key) {
        return key.equals(outTradeNo) || key.equals(outRefundNo);
    }
}
