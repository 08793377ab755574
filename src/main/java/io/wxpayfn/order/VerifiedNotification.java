package io.wxpayfn.order;

import java.time.Instant;

/**
 * A notification whose signature, age and encryption checked out. {@code id} is WeChat Pay's notification id
 * (the same for every retry of one event); {@code payload} is the decrypted resource.
 */
public record VerifiedNotification<T>(String id, String eventType, Instant createTime, T payload) {}
