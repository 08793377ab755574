package io.wxpayfn.identity;

import java.time.Instant;

/** A signed session issued at login. */
public record Session(String openid, String token, Instant expiresAt) {}
