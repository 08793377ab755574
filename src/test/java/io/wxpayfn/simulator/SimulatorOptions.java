package io.wxpayfn.simulator;

import java.time.Duration;

/**
 * How a simulator instance behaves. Start from {@link #defaults()} and change what a test needs.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param timeScale multiplies the notification retry schedule (1.0 = WeChat's real 15 s … 6 h)
 * @param allowHttpLoopbackNotify accept {@code http://127.0.0.1|localhost} notify URLs (WeChat requires https)
 * @param refundDelay how long a refund stays PROCESSING before it succeeds on its own
 * @param notifyTimeout how long a notify_url may take to answer before the attempt counts as failed
 */
public record SimulatorOptions(
    int port,
    String mchid,
    String appid,
    double timeScale,
    boolean allowHttpLoopbackNotify,
    Duration refundDelay,
    Duration notifyTimeout) {

  public SimulatorOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("timeScale must be positive: " + timeScale);
    }
  }

  public static SimulatorOptions defaults() {
    return new SimulatorOptions(
        0, "1900000109", "wxd678efh567hg6787", 1.0, true, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  public SimulatorOptions withPort(int value) {
    return new SimulatorOptions(value, mchid, appid, timeScale, allowHttpLoopbackNotify, refundDelay, notifyTimeout);
  }

  public SimulatorOptions withMchid(String value) {
    return new SimulatorOptions(port, value, appid, timeScale, allowHttpLoopbackNotify, refundDelay, notifyTimeout);
  }

  public SimulatorOptions withAppid(String value) {
    return new SimulatorOptions(port, mchid, value, timeScale, allowHttpLoopbackNotify, refundDelay, notifyTimeout);
  }

  public SimulatorOptions withTimeScale(double value) {
    return new SimulatorOptions(port, mchid, appid, value, allowHttpLoopbackNotify, refundDelay, notifyTimeout);
  }

  public SimulatorOptions withAllowHttpLoopbackNotify(boolean value) {
    return new SimulatorOptions(port, mchid, appid, timeScale, value, refundDelay, notifyTimeout);
  }

  public SimulatorOptions withRefundDelay(Duration value) {
    return new SimulatorOptions(port, mchid, appid, timeScale, allowHttpLoopbackNotify, value, notifyTimeout);
  }

  public SimulatorOptions withNotifyTimeout(Duration value) {
    return new SimulatorOptions(port, mchid, appid, timeScale, allowHttpLoopbackNotify, refundDelay, value);
  }
}
