package io.wxpayfn.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receiver's side as README documents it: the Java snippet ({@link VerifyOrderEvent}) and the JavaScript one
 * (src/test/resources/events/verify-order-event.js, run under {@code node}), and the check that README shows both
 * exactly as they are run here.
 */
public final class Snippets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JS = Path.of("src/test/resources/events/verify-order-event.js");
    private static final Path JS_CASES = Path.of("src/test/resources/events/verify-cases.js");
    private static final Path JAVA = Path.of("src/test/java/io/wxpayfn/events/VerifyOrderEvent.java");

    private Snippets() {}

    /** A delivery to verify: what the receiver got, and the receiver's time. */
    public record Case(String secret, byte[] body, Map<String, String> headers, long nowSeconds) {

        public static Case of(String secret, EventReceiver.Received delivery) {
            return new Case(secret, delivery.body(), delivery.headers(), delivery.receivedAt());
        }

        public Case withSecret(String other) {
            return new Case(other, body, headers, nowSeconds);
        }

        public Case withBody(byte[] other) {
            return new Case(secret, other, headers, nowSeconds);
        }

        public Case withNow(long other) {
            return new Case(secret, body, headers, other);
        }

        public Case withHeader(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(headers);
            if (value == null) {
                changed.remove(name);
            } else {
                changed.put(name, value);
            }
            return new Case(secret, body, changed, nowSeconds);
        }
    }

    public static boolean javaAccepts(Case c) {
        try {
            return VerifyOrderEvent.verifyOrderEvent(
                    c.secret(),
                    c.body(),
                    c.headers().get("wxpayfn-timestamp"),
                    c.headers().get("wxpayfn-signature"),
                    c.nowSeconds());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JavaScript snippet's verdict on each case, from one run of {@code node}. */
    public static List<Boolean> nodeAccepts(List<Case> cases) throws IOException, InterruptedException {
        List<Map<String, Object>> input = new ArrayList<>();
        for (Case c : cases) {
            input.add(Map.of(
                    "secret",
                    c.secret(),
                    "bodyBase64",
                    Base64.getEncoder().encodeToString(c.body()),
                    "headers",
                    c.headers(),
                    "nowSeconds",
                    c.nowSeconds()));
        }
        Process node = new ProcessBuilder("node", JS_CASES.toString())
                .redirectErrorStream(true)
                .start();
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new IllegalStateException("node failed: " + output);
        }
        return JSON.readValue(output, new TypeReference<List<Boolean>>() {});
    }

    /** The snippet regions of both sources, which README must show verbatim. */
    public static List<String> documented() throws IOException {
        return List.of(
                region(Files.readString(JAVA), "// snippet:java"), region(Files.readString(JS), "// snippet:js"));
    }

    private static String region(String source, String start) {
        Matcher region = Pattern.compile(Pattern.quote(start) + "\\n(.*?)\\n// snippet:end", Pattern.DOTALL)
                .matcher(source);
        if (!region.find()) {
            throw new IllegalStateException("no " + start + " region");
        }
        return region.group(1);
    }
}
