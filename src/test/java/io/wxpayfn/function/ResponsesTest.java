package io.wxpayfn.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.LoginUnavailableException;
import io.wxpayfn.order.StoreUnavailableException;
import io.wxpayfn.order.WeChatPayUnavailableException;
import io.wxpayfn.order.WriteContentionException;
import io.wxpayfn.reconcile.BillFormatException;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A failure reaches the caller as its errcode and an error id; what went wrong inside goes to the log under that id. */
class ResponsesTest {

    private static final Pattern ERROR_ID = Pattern.compile("error id ([0-9a-f]{8}-[0-9a-f-]{27})");

    static String errorIdIn(String errmsg) {
        Matcher id = ERROR_ID.matcher(errmsg);
        assertTrue(id.find(), "an error id in: " + errmsg);
        return id.group(1);
    }

    @Test
    void aStoreFailureAnswersItsErrcodeAndAnErrorIdWhileTheDetailGoesToOneLogLine() {
        String detail =
                "postgresql order store unavailable: could not read order: Connection to db7.internal:6432 refused";
        Logged logged = respond(new StoreUnavailableException(detail, new ConnectException("Connection refused")));
        Envelope answer = logged.answer();
        List<LogCapture.Line> lines = logged.lines();
        assertEquals(50302, answer.errcode());
        for (String internal : List.of("db7.internal", "6432", "postgresql", "Connection", "refused")) {
            assertFalse(answer.errmsg().contains(internal), internal + " reached the caller: " + answer.errmsg());
        }
        String id = errorIdIn(answer.errmsg());
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).message().contains(id) && lines.get(0).message().contains(detail), lines.toString());
        assertEquals(Level.WARNING.intValue(), lines.get(0).level().intValue());
        assertNull(lines.get(0).thrown(), "an outage is not our bug: no trace");
    }

    @Test
    void aWeChatPayOutageKeepsItsOwnMessageAndGetsAnErrorId() {
        String message = "queryOrder failed: WeChat Pay answered HTTP 503 SYSTEM_ERROR";
        Logged logged = respond(new WeChatPayUnavailableException(message, null));
        Envelope answer = logged.answer();
        List<LogCapture.Line> lines = logged.lines();
        assertEquals(50301, answer.errcode());
        assertTrue(answer.errmsg().startsWith(message), answer.errmsg());
        String id = errorIdIn(answer.errmsg());
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).message().contains(id), lines.toString());
    }

    @Test
    void aLoginServiceOutageABillThatCannotBeReadAndWriteContentionEachHaveTheirOwnRetryableErrcode() {
        // None of these is WeChat Pay being down, nor the store: a caller (or an alert) told so would look elsewhere.
        Map<RuntimeException, Integer> expected = new LinkedHashMap<>();
        expected.put(new LoginUnavailableException("WeChat login service busy (errcode -1)", null), 50303);
        expected.put(new BillFormatException(7, "a row of 26 columns, not 27"), 50202);
        expected.put(new WriteContentionException("order WX1 kept changing during 16 attempts to update it"), 50304);
        for (Map.Entry<RuntimeException, Integer> failure : expected.entrySet()) {
            Logged logged = respond(failure.getKey());
            assertEquals(
                    failure.getValue(),
                    logged.answer().errcode(),
                    logged.answer().errmsg());
            assertTrue(
                    logged.answer().errmsg().startsWith(failure.getKey().getMessage()),
                    logged.answer().errmsg());
            String id = errorIdIn(logged.answer().errmsg());
            assertEquals(1, logged.lines().size(), logged.lines().toString());
            assertTrue(
                    logged.lines().get(0).message().contains(id), logged.lines().toString());
        }
    }

    @Test
    void anUnexpectedFailureIsOurBugAndIsLoggedWithItsTraceUnderTheCallersErrorId() {
        Logged logged = respond(new IllegalStateException("a bug of ours"));
        Envelope answer = logged.answer();
        List<LogCapture.Line> lines = logged.lines();
        assertEquals(50001, answer.errcode());
        assertFalse(answer.errmsg().contains("a bug of ours"));
        String id = errorIdIn(answer.errmsg());
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(Level.SEVERE.intValue(), lines.get(0).level().intValue());
        assertTrue(lines.get(0).message().contains(id));
        assertNotNull(lines.get(0).thrown(), "our own bug keeps its stack trace");
    }

    /** What a function body failing with {@code failure} answers, and the lines at WARN or above it logs. */
    private record Logged(Envelope answer, List<LogCapture.Line> lines) {}

    private static Logged respond(RuntimeException failure) {
        try (LogCapture log = LogCapture.start()) {
            Envelope answer = Responses.respond(() -> {
                throw failure;
            });
            return new Logged(answer, log.lines(line -> line.atLeast(Level.WARNING)));
        }
    }
}
