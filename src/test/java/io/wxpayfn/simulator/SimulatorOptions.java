package io.wxpayfn.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * How a simulator instance behaves. Start from {@link #defaults()} and change what a test needs.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param timeScale multiplies the notification retry schedule (1.0 = WeChat's real 15 s … 6 h)
 * @param allowHttpLoopbackNotify accept {@code http://127.0.0.1|localhost} notify URLs (WeChat requires https)
 * @param refundDelay how long a refund stays PROCESSING before it succeeds on its own
 * @param notifyTimeout how long a notify_url may take to answer before the attempt counts as failed
 * @param clock WeChat Pay's business clock: create, success and refund times, time_expire, bill dates, login
 *     codes. Signature timestamps and the ±5-minute request window stay on the system clock, because the SDK
 *     and the functions check those against their own machine's time.
 * @param subMerchants the sub-merchants bound to {@code mchid} as a service provider (partner API); any
 *     other sub_mchid is refused as WeChat Pay refuses one without 受理关系
 */
public record SimulatorOptions(
        int port,
        String mchid,
        String appid,
        double timeScale,
        boolean allowHttpLoopbackNotify,
        Duration refundDelay,
        Duration notifyTimeout,
        Clock clock,
        List<SimSubMerchant> subMerchants) {

    /** Bound by default: one sub-merchant with a mini-program of its own, one paid through the provider's. */
    public static final SimSubMerchant SUB_MERCHANT_WITH_APP = new SimSubMerchant("1900000201", "wx5a1b2c3d4e5f6a7b");

    public static final SimSubMerchant SUB_MERCHANT_OF_PROVIDER_APP = new SimSubMerchant("1900000202", null);

    public SimulatorOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale must be positive: " + timeScale);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock is required");
        }
        subMerchants = List.copyOf(subMerchants);
    }

    /** The bound sub-merchant with this sub_mchid, if any. */
    public Optional<SimSubMerchant> subMerchant(String subMchid) {
        return subMerchants.stream().filter(s -> s.subMchid().equals(subMchid)).findFirst();
    }

    /**
     * A ticking clock that reads today's noon in Shanghai when created: for twelve hours no date
     * boundary can fall inside a test, so tests of a day's bill cannot fail around midnight.
     */
    public static Clock clockFromNoonInShanghai() {
        Instant now = Instant.now();
        Instant noon = LocalDate.ofInstant(now, TransactionBook.SHANGHAI)
                .atTime(12, 0)
                .atZone(TransactionBook.SHANGHAI)
                .toInstant();
        return Clock.offset(Clock.systemUTC(), Duration.between(now, noon));
    }

    public static SimulatorOptions defaults() {
        return new SimulatorOptions(
                0,
                "1900000109",
                "wxd678efh567hg6787",
                1.0,
                true,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Clock.systemUTC(),
                List.of(SUB_MERCHANT_WITH_APP, SUB_MERCHANT_OF_PROVIDER_APP));
    }

    public SimulatorOptions withPort(int value) {
        return new SimulatorOptions(
                value,
                mchid,
                appid,
                timeScale,
                allowHttpLoopbackNotify,
                refundDelay,
                notifyTimeout,
                clock,
                subMerchants);
    }

    public SimulatorOptions withMchid(String value) {
        return new SimulatorOptions(
                port,
                value,
                appid,
                timeScale,
                allowHttpLoopbackNotify,
                refundDelay,
                notifyTimeout,
                clock,
                subMerchants);
    }

    public SimulatorOptions withAppid(String value) {
        return new SimulatorOptions(
                port,
                mchid,
                value,
                timeScale,
                allowHttpLoopbackNotify,
                refundDelay,
                notifyTimeout,
                clock,
                subMerchants);
    }

    public SimulatorOptions withTimeScale(double value) {
        return new SimulatorOptions(
                port, mchid, appid, value, allowHttpLoopbackNotify, refundDelay, notifyTimeout, clock, subMerchants);
    }

    public SimulatorOptions withAllowHttpLoopbackNotify(boolean value) {
        return new SimulatorOptions(
                port, mchid, appid, timeScale, value, refundDelay, notifyTimeout, clock, subMerchants);
    }

    public SimulatorOptions withRefundDelay(Duration value) {
        return new SimulatorOptions(
                port, mchid, appid, timeScale, allowHttpLoopbackNotify, value, notifyTimeout, clock, subMerchants);
    }

    public SimulatorOptions withNotifyTimeout(Duration value) {
        return new SimulatorOptions(
                port, mchid, appid, timeScale, allowHttpLoopbackNotify, refundDelay, value, clock, subMerchants);
    }

    public SimulatorOptions withSubMerchants(List<SimSubMerchant> value) {
        return new SimulatorOptions(
                port, mchid, appid, timeScale, allowHttpLoopbackNotify, refundDelay, notifyTimeout, clock, value);
    }

    public SimulatorOptions withClock(Clock value) {
        return new SimulatorOptions(
                port,
                mchid,
                appid,
                timeScale,
                allowHttpLoopbackNotify,
                refundDelay,
                notifyTimeout,
                value,
                subMerchants);
    }
}
