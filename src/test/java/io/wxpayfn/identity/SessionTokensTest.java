package io.wxpayfn.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wxpayfn.order.UnauthenticatedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session token is accepted exactly as issued: any other text, even one that decodes to the same bytes, is refused. */
class SessionTokensTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), ZoneOffset.UTC);
    private final SessionTokens tokens =
            new SessionTokens("s".repeat(32), "wxd678efh567hg6787", Duration.ofHours(2), clock);

    @Test
    void everyOtherCharacterAnywhereInATokenIsRefused() {
        // Openids of several lengths, so the payload's last character carries 0, 2 and 4 unused bits among them.
        for (String openid : List.of(
                "ozDJ-GzISMFldKlPNfEeGLtqTrUD", "ozDJ-GzISMFldKlPNfEeGLtqTrUDx", "ozDJ-GzISMFldKlPNfEeGLtqTrUDxy")) {
            String token = tokens.issue(openid).token();
            assertEquals(openid, tokens.verify(token));
            for (String changed : everySingleCharacterChange(token)) {
                assertThrows(UnauthenticatedException.class, () -> tokens.verify(changed), changed);
            }
            for (String padded : List.of(token + "=", token.replace(".", "=."), token + "==")) {
                assertThrows(UnauthenticatedException.class, () -> tokens.verify(padded), padded);
            }
        }
    }

    private static List<String> everySingleCharacterChange(String token) {
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < token.length(); i++) {
            for (char c : (ALPHABET + "=.").toCharArray()) {
                if (c != token.charAt(i)) {
                    changes.add(token.substring(0, i) + c + token.substring(i + 1));
                }
            }
        }
        return changes;
    }
}
