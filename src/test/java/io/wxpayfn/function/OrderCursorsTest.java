package io.wxpayfn.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Caller;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A listOrders cursor names its position only for the caller and filter it was made for, under this secret. */
class OrderCursorsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final OrderCursors CURSORS = new OrderCursors(SECRET);
    private static final Caller ALICE = Caller.user("o-alice");
    private static final OrderFilter PAID = OrderFilter.any().withStatuses(OrderFilter.withPayStatus(2));
    private static final OrderPosition POSITION =
            new OrderPosition(Instant.parse("2026-11-23T04:00:00.123456789Z"), "WX6db915f5771cd9df46e0493d77f2");

    private static void assertRefused(Caller caller, OrderFilter filter, String cursor) {
        InvalidRequestException refused =
                assertThrows(InvalidRequestException.class, () -> CURSORS.decode(caller, filter, cursor));
        assertEquals("cursor", refused.field());
    }

    @Test
    void cursorRoundTripsItsPositionToTheNanosecondAndIsUrlSafe() {
        String cursor = CURSORS.encode(ALICE, PAID, POSITION);
        assertEquals(POSITION, CURSORS.decode(ALICE, PAID, cursor));
        assertTrue(cursor.matches("[A-Za-z0-9_.-]+"), cursor);
        assertEquals(POSITION, new OrderCursors(SECRET).decode(ALICE, PAID, cursor), "another instance, same secret");
    }

    @Test
    void cursorOfAnotherCallerFilterOrSecretIsRefused() {
        String cursor = CURSORS.encode(ALICE, PAID, POSITION);
        assertRefused(Caller.user("o-bob"), PAID, cursor);
        assertRefused(Caller.asOperator(), PAID, cursor);
        assertRefused(ALICE, OrderFilter.any(), cursor);
        assertRefused(ALICE, PAID.withStatuses(Set.of(OrderStatus.PAID)), cursor);
        assertRefused(ALICE, PAID.createdBetween(POSITION.createdAt(), null), cursor);
        InvalidRequestException rotated = assertThrows(
                InvalidRequestException.class,
                () -> new OrderCursors(SECRET.replace('0', '9')).decode(ALICE, PAID, cursor));
        assertEquals("cursor", rotated.field());
        String operators = CURSORS.encode(Caller.asOperator(), PAID.ownedBy("o-alice"), POSITION);
        assertRefused(Caller.asOperator(), PAID.ownedBy("o-bob"), operators);
        assertEquals(POSITION, CURSORS.decode(Caller.asOperator(), PAID.ownedBy("o-alice"), operators));
    }

    @Test
    void alteredOrMalformedCursorIsRefused() {
        String cursor = CURSORS.encode(ALICE, PAID, POSITION);
        int dot = cursor.indexOf('.');
        for (int i = 0; i < cursor.length(); i++) {
            if (i != dot) {
                // Every character, with its lowest bit too: a Base64 decoder ignores a last character's spare bits.
                for (char flipped : new char[] {'A', 'B'}) {
                    if (cursor.charAt(i) != flipped) {
                        assertRefused(ALICE, PAID, cursor.substring(0, i) + flipped + cursor.substring(i + 1));
                    }
                }
            }
        }
        for (String malformed :
                new String[] {"", ".", cursor.substring(0, dot), cursor + ".x", "a." + cursor.substring(dot + 1)}) {
            assertRefused(ALICE, PAID, malformed);
        }
    }
}
