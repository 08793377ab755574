package io.wxpayfn.simulator;

import java.time.OffsetDateTime;

/** What a simulated user's payment produced. */
public record PaymentResult(String outTradeNo, String transactionId, OffsetDateTime successTime) {}
