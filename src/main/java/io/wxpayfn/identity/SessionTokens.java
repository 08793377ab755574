package io.wxpayfn.identity;

import io.wxpayfn.order.Caller;
import io.wxpayfn.order.UnauthenticatedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless session tokens: {@code base64url(appid|openid|expiry) "." base64url(HMAC-SHA256)}. Any function
 * instance holding the same SESSION_SECRET can verify one without a store; the expiry bounds a stolen token. The
 * appid is the mini-program the user logged in through (a partner deployment may serve several): a token is
 * accepted only for an appid this deployment serves, and the caller it names is that appid's openid.
 */
public final class SessionTokens {

    private static final Pattern PAYLOAD = Pattern.compile("v1\\|([^|]+)\\|([^|]+)\\|([0-9]+)");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String appid;
    private final Set<String> appids;
    private final Duration ttl;
    private final Clock clock;

    /** Tokens of one mini-program. */
    public SessionTokens(String secret, String appid, Duration ttl, Clock clock) {
        this(secret, appid, Set.of(appid), ttl, clock);
    }

    /** @param appids every mini-program a token may be issued for; {@code appid} is the default among them */
    public SessionTokens(String secret, String appid, Set<String> appids, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.appid = appid;
        this.appids = Set.copyOf(appids);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A session in the default mini-program. */
    public Session issue(String openid) {
        return issue(appid, openid);
    }

    public Session issue(String appid, String openid) {
        if (!appids.contains(appid)) {
            throw new IllegalArgumentException("no mini-program " + appid + " in this deployment");
        }
        Instant expiresAt = clock.instant().plus(ttl);
        String payload = ENCODER.encodeToString(
                ("v1|" + appid + "|" + openid + "|" + expiresAt.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        return new Session(openid, payload + "." + ENCODER.encodeToString(mac(payload)), expiresAt);
    }

    /** The openid a valid token was issued to; see {@link #caller}. */
    public String verify(String token) {
        return caller(token).openid();
    }

    /**
     * The user a valid token was issued to: openid and appid. Only the exact text {@link #issue} wrote is accepted:
     * base64url spells the same bytes several ways (padding, the unused low bits of the last character), so both
     * parts are compared as the canonical encoding, never as decoded bytes.
     *
     * @throws UnauthenticatedException for a missing, forged or expired one
     */
    public Caller caller(String token) {
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
            if (!ENCODER.encodeToString(decoded).equals(payload) || !m.matches() || !appids.contains(m.group(1))) {
                throw new UnauthenticatedException("session token invalid");
            }
            if (Instant.ofEpochSecond(Long.parseLong(m.group(3))).isBefore(clock.instant())) {
                throw new UnauthenticatedException("session token expired: log in again");
            }
            return Caller.user(m.group(1), m.group(2));
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
