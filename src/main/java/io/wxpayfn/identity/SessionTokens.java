package io.wxpayfn.identity;

import io.wxpayfn.order.UnauthenticatedException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stateless session tokens: {@code base64url(appid|openid|expiry) "." base64url(HMAC-SHA256)}. Any function
 * instance holding the same SESSION_SECRET can verify one without a store; the expiry bounds a stolen token.
 */
public final class SessionTokens {

    private static final Pattern PAYLOAD = Pattern.compile("v1\\|([^|]+)\\|([^|]+)\\|([0-9]+)");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String appid;
    private final Duration ttl;
    private final Clock clock;

    public SessionTokens(String secret, String appid, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.appid = appid;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Session issue(String openid) {
        Instant expiresAt = clock.instant().plus(ttl);
        String payload = ENCODER.encodeToString(("v1|" + appid + "|" + openid + "|" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return new Session(openid, payload + "." + ENCODER.encodeToString(mac(payload)), expiresAt);
    }

    /**
     * The openid a valid token was issued to. Only the exact text {@link #issue} wrote is accepted: base64url spells
     * the same bytes several ways (padding, the unused low bits of the last character), so both parts are compared
     * as the canonical encoding, never as decoded bytes.
     *
     * @throws UnauthenticatedException for a missing, forged or expired one
     */
    public String verify(String token) {
        if (token == null || token.isBlank()) {
            throw new UnauthenticatedException("session token missing: send Authorization: Bearer <token from login>");
        }
        int dot = token.indexOf('.');
        String payload = dot <= 0 ? "" : token.substring(0, dot);
        String expectedMac = ENCODER.encodeToString(mac(payload));
        if (dot <= 0 || !MessageDigest.isEqual(ascii(expectedMac), ascii(token.substring(dot + 1)))) {
            throw new UnauthenticatedException("session token invalid");
        }
        try {
            byte[] decoded = Base64.getUrlDecoder().decode(payload);
            Matcher m = PAYLOAD.matcher(new String(decoded, StandardCharsets.UTF_8));
            if (!ENCODER.encodeToString(decoded).equals(payload) || !m.matches() || !appid.equals(m.group(1))) {
                throw new UnauthenticatedException("session token invalid");
            }
            if (Instant.ofEpochSecond(Long.parseLong(m.group(3))).isBefore(clock.instant())) {
                throw new UnauthenticatedException("session token expired: log in again");
            }
            return m.group(2);
        } catch (IllegalArgumentException e) {
            throw new UnauthenticatedException("session token invalid");
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
