package io.wxpayfn.simulator;

import io.wxpayfn.order.WeChatPayRules;
import java.time.Duration;

/**
 * How an API call fails. A {@code hang} holds the connection for the given time and then carries on
 * normally, so a client with a shorter timeout sees a timeout while the server may still act.
 */
public record ApiFailure(int status, String code, String message, Duration hang) {

    public static ApiFailure systemError() {
        return new ApiFailure(WeChatPayRules.SYSTEM_ERROR_STATUS, WeChatPayRules.SYSTEM_ERROR, "系统错误", Duration.ZERO);
    }

    public static ApiFailure serviceUnavailable() {
        return new ApiFailure(503, "SERVICE_UNAVAILABLE", "服务不可用", Duration.ZERO);
    }

    public static ApiFailure frequencyLimited() {
        return new ApiFailure(
                WeChatPayRules.FREQUENCY_LIMITED_STATUS, WeChatPayRules.FREQUENCY_LIMITED, "频率超限", Duration.ZERO);
    }

    /**
     * A refund application refused for lack of funds. Status and code as the simulator's table has
     * them (docs/simulator.md): WeChat's APIv3 pages name the code, the status is our choice.
     */
    public static ApiFailure notEnough() {
        return new ApiFailure(403, "NOT_ENOUGH", "基本账户余额不足，请充值后重新发起", Duration.ZERO);
    }

    public static ApiFailure hang(Duration duration) {
        return new ApiFailure(0, null, null, duration);
    }

    boolean isHang() {
        return !hang.isZero();
    }

    ApiError error() {
        return new ApiError(status, code, message);
    }
}
