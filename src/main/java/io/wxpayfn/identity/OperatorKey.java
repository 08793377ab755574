package io.wxpayfn.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The operator's API key (OPERATOR_API_KEY); absent, no request is an operator's. */
public final class OperatorKey {

    private final byte[] expected;

    public OperatorKey(String key) {
        this.expected = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time, so the key cannot be guessed from response times. */
    public boolean matches(String presented) {
        return expected != null && presented != null
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
