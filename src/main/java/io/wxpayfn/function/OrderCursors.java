package io.wxpayfn.function;

import io.wxpayfn.order.Caller;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque listOrders cursor: {@code base64url(epochSecond "." nano "." outTradeNo) "." base64url(MAC)}, the MAC
 * being the first 16 bytes of HMAC-SHA256 over the position and what it was listed for: the caller (the user's
 * openid, or the operator) and the filter. The key is derived from SESSION_SECRET, so every instance accepts the
 * cursors of every other; a forged or altered cursor, another caller's, one used with another filter, or one made
 * before the secret changed is refused as 40001 naming {@code cursor}.
 */
public final class OrderCursors {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 16;
    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]{1,200})\\.([A-Za-z0-9_-]{22})");
    private static final Pattern POSITION = Pattern.compile("(-?[0-9]{1,19})\\.([0-9]{1,9})\\.([^\\n]{1,64})");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public OrderCursors(String secret) {
        // A key of its own, so a cursor's MAC can never stand in for a session token's (same secret, other purpose).
        byte[] derived = mac(
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), "wxpayfn listOrders cursor v1");
        this.key = new SecretKeySpec(derived, ALGORITHM);
    }

    /** The cursor of the page after {@code position}, for this caller and filter only. */
    String encode(Caller caller, OrderFilter filter, OrderPosition position) {
        Instant createdAt = position.createdAt();
        String payload = ENCODER.encodeToString(
                (createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + position.outTradeNo())
                        .getBytes(StandardCharsets.UTF_8));
        return payload + "." + tag(caller, filter, payload);
    }

    /** The position a cursor names. @throws InvalidRequestException naming {@code cursor} unless this list made it */
    OrderPosition decode(Caller caller, OrderFilter filter, String cursor) {
        Matcher form = FORM.matcher(cursor);
        // The MAC is compared as text: Base64 decoding ignores a last character's spare bits, text does not.
        if (form.matches()
                && MessageDigest.isEqual(
                        tag(caller, filter, form.group(1)).getBytes(StandardCharsets.US_ASCII),
                        form.group(2).getBytes(StandardCharsets.US_ASCII))) {
            Matcher position =
                    POSITION.matcher(new String(Base64.getUrlDecoder().decode(form.group(1)), StandardCharsets.UTF_8));
            if (position.matches()) {
                return new OrderPosition(
                        Instant.ofEpochSecond(Long.parseLong(position.group(1)), Long.parseLong(position.group(2))),
                        position.group(3));
            }
        }
        throw new InvalidRequestException(
                "cursor",
                "is not a cursor of this list (it must be the nextCursor of a "
                        + "page listed by the same caller with the same filter); list again without it");
    }

    /** The MAC of a payload for this caller and filter, base64url. */
    private String tag(Caller caller, OrderFilter filter, String payload) {
        String listedFor = (caller.operator() ? "operator" : "user " + caller.openid()) + "\n" + describe(filter);
        return ENCODER.encodeToString(Arrays.copyOf(mac(key, "v1\n" + listedFor + "\n" + payload), MAC_BYTES));
    }

    private static String describe(OrderFilter filter) {
        return filter.openid() + "\n"
                + filter.statuses().stream().map(OrderStatus::name).sorted().collect(Collectors.joining(",")) + "\n"
                + filter.createdFrom() + "\n" + filter.createdTo();
    }

    private static byte[] mac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
