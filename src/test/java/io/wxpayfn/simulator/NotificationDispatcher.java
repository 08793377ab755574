package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Delivers signed, encrypted notifications to notify URLs on background threads, retries on WeChat
 * Pay's schedule (scaled), applies injected faults and keeps a log of every attempt.
 */
final class NotificationDispatcher implements AutoCloseable {

    /** WeChat Pay's documented intervals between a failed delivery and the next attempt. */
    static final List<Duration> RETRY_SCHEDULE = List.of(
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(3),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(60),
            Duration.ofHours(3),
            Duration.ofHours(3),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(6));

    private static final String SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/";
    private static final Duration OLD_TIMESTAMP_AGE = Duration.ofMinutes(6);

    /** One event and its genuine, encrypted body (identical for every delivery of that event). */
    private record Notification(
            String id,
            String eventType,
            String outTradeNo,
            String outRefundNo,
            String notifyUrl,
            String originalType,
            String summary,
            ObjectNode plaintext,
            String body) {

        String[] keys() {
            return outRefundNo == null ? new String[] {outTradeNo} : new String[] {outRefundNo, outTradeNo};
        }
    }

    private final PlatformIdentity platform;
    private final String apiV3Key;
    private final SimulatorOptions options;
    private final FaultPlan faults;
    private final PrivateKey foreignKey = SimCrypto.newRsaKeyPair().getPrivate();
    private final HttpClient http;
    private final ScheduledExecutorService scheduler =
            Executors.newScheduledThreadPool(2, daemon("wxsim-notify-timer"));
    private final ExecutorService senders = Executors.newCachedThreadPool(daemon("wxsim-notify-send"));
    private final List<Delivery> log = new ArrayList<>();
    private final Map<String, Notification> latestByKey = new LinkedHashMap<>();
    private final Map<String, Notification> byId = new LinkedHashMap<>();
    /** Attempts kept back by a HOLD fault (attempt 1) or by held retries (attempt 2…), by key. */
    private final Map<String, List<HeldAttempt>> held = new LinkedHashMap<>();
    /** Attempts scheduled or running, by notification id: a non-event is proven by their absence. */
    private final Map<String, Integer> inFlight = new HashMap<>();

    private record HeldAttempt(Notification notification, int attempt) {}

    NotificationDispatcher(PlatformIdentity platform, String apiV3Key, SimulatorOptions options, FaultPlan faults) {
        this.platform = platform;
        this.apiV3Key = apiV3Key;
        this.options = options;
        this.faults = faults;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.notifyTimeout())
                .executor(senders)
                .build();
    }

    void paymentSucceeded(SimTransaction t) {
        publish(create(
                "TRANSACTION.SUCCESS",
                "支付成功",
                "transaction",
                t.outTradeNo(),
                null,
                t.notifyUrl(),
                WireFormat.transaction(t)));
    }

    /** A refund notification goes only where the refund application asked for one. */
    void refundEnded(SimRefund r, SimTransaction order) {
        if (r.notifyUrl() == null) {
            return;
        }
        publish(create(
                r.status().eventType(),
                r.status().summary(),
                "refund",
                r.outTradeNo(),
                r.outRefundNo(),
                r.notifyUrl(),
                WireFormat.refundNotification(r, order)));
    }

    /** Sends the stored notification again: by notification id, out_trade_no or out_refund_no. */
    void redeliver(String idOrKey, int count, boolean concurrent) {
        Notification n = stored(idOrKey);
        started(n);
        senders.execute(() -> {
            try {
                sendCopies(n, count, concurrent, Delivery.Kind.REDELIVERY);
            } finally {
                finished(n);
            }
        });
    }

    /** The stored notification, freshly signed, handed over instead of sent (nothing is logged). */
    SignedNotification signedCopy(String idOrKey) {
        Notification n = stored(idOrKey);
        return new SignedNotification(n.id(), n.notifyUrl(), n.body(), headers(sign(n.body())));
    }

    private Notification stored(String idOrKey) {
        Notification n;
        synchronized (this) {
            n = byId.containsKey(idOrKey) ? byId.get(idOrKey) : latestByKey.get(idOrKey);
        }
        if (n == null) {
            throw new IllegalArgumentException("no notification was sent for " + idOrKey);
        }
        return n;
    }

    void releaseHeld(String key) {
        List<HeldAttempt> released;
        synchronized (this) {
            released = held.remove(key);
        }
        if (released != null) {
            released.forEach(h -> schedule(h.notification(), h.attempt(), List.of(), Duration.ZERO));
        }
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(log);
    }

    /**
     * Waits until no attempt about {@code key} is scheduled or running (held ones do not count), so
     * that "nothing more will be sent" can be checked without sleeping; fails when time runs out.
     */
    synchronized void awaitNoAttemptsInFlight(String key, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.keySet().stream().map(byId::get).anyMatch(n -> n != null && concerns(n, key))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("attempts about " + key + " still in flight after " + timeout);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for deliveries to settle", e);
            }
        }
    }

    private static boolean concerns(Notification n, String key) {
        return key.equals(n.outTradeNo()) || key.equals(n.outRefundNo());
    }

    private synchronized void started(Notification n) {
        inFlight.merge(n.id(), 1, Integer::sum);
    }

    private synchronized void finished(Notification n) {
        inFlight.computeIfPresent(n.id(), (id, count) -> count == 1 ? null : count - 1);
        notifyAll();
    }

    /** Waits until {@code count} logged deliveries match; fails with the whole log when time runs out. */
    synchronized List<Delivery> await(Predicate<Delivery> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Delivery> matching = log.stream().filter(filter).toList();
            long left = deadline - System.nanoTime();
            if (matching.size() >= count) {
                return matching;
            }
            if (left <= 0) {
                throw new AssertionError("expected " + count + " matching deliveries within " + timeout + ", got "
                        + matching.size() + "; log: " + log);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for deliveries", e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        senders.shutdownNow();
    }

    private Notification create(
            String eventType,
            String summary,
            String originalType,
            String outTradeNo,
            String outRefundNo,
            String notifyUrl,
            ObjectNode plaintext) {
        String id = UUID.randomUUID().toString();
        return new Notification(
                id,
                eventType,
                outTradeNo,
                outRefundNo,
                notifyUrl,
                originalType,
                summary,
                plaintext,
                body(id, eventType, summary, originalType, plaintext));
    }

    private String body(String id, String eventType, String summary, String originalType, ObjectNode plaintext) {
        String nonce = SimCrypto.randomAlnum(12);
        ObjectNode body = WireFormat.JSON.createObjectNode();
        body.put("id", id);
        body.put("create_time", WireFormat.time(OffsetDateTime.now(options.clock())));
        body.put("resource_type", "encrypt-resource");
        body.put("event_type", eventType);
        body.put("summary", summary);
        ObjectNode resource = body.putObject("resource");
        resource.put("original_type", originalType);
        resource.put("algorithm", "AEAD_AES_256_GCM");
        resource.put("ciphertext", SimCrypto.aesGcmEncrypt(apiV3Key, nonce, originalType, plaintext.toString()));
        resource.put("associated_data", originalType);
        resource.put("nonce", nonce);
        return body.toString();
    }

    private void publish(Notification n) {
        List<NotificationFault> applied = faults.takeNotificationFaults(n.keys());
        synchronized (this) {
            byId.put(n.id(), n);
            for (String key : n.keys()) {
                latestByKey.put(key, n);
            }
        }
        Optional<NotificationFault> drop = find(applied, NotificationFault.Kind.DROP);
        if (drop.isPresent()) {
            record(n, 0, Delivery.Kind.DROPPED, -1, "dropped by fault injection", null);
            return;
        }
        if (find(applied, NotificationFault.Kind.HOLD).isPresent()) {
            hold(n.keys()[0], n, 1);
            return;
        }
        Duration delay = find(applied, NotificationFault.Kind.DELAY)
                .map(NotificationFault::delay)
                .orElse(Duration.ZERO);
        schedule(n, 1, applied, delay);
    }

    private synchronized void hold(String key, Notification n, int attempt) {
        held.computeIfAbsent(key, k -> new ArrayList<>()).add(new HeldAttempt(n, attempt));
    }

    private void schedule(Notification n, int attempt, List<NotificationFault> applied, Duration delay) {
        if (scheduler.isShutdown()) {
            return;
        }
        started(n);
        try {
            scheduler.schedule(
                    () -> senders.execute(() -> {
                        try {
                            attempt(n, attempt, applied);
                        } finally {
                            finished(n);
                        }
                    }),
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RuntimeException stopped) {
            finished(n);
            throw stopped;
        }
    }

    private void attempt(Notification n, int attempt, List<NotificationFault> applied) {
        if (find(applied, NotificationFault.Kind.SIGNTEST_PROBE).isPresent()) {
            PlatformIdentity.SignedHeaders probe = sign(n.body())
                    .withSignature(SIGNTEST_PREFIX + SimCrypto.randomBase64(96).replace('/', '_'));
            int probeStatus = send(n, n.body(), probe, 0, Delivery.Kind.SIGNTEST_PROBE);
            Optional<String> heldUnder = faults.retriesHeldUnder(n.keys());
            if (heldUnder.isPresent() && (probeStatus < 200 || probeStatus >= 300)) {
                // What follows a refused probe waits like a retry, so the receiver's state can be checked between.
                hold(heldUnder.get(), n, attempt);
                return;
            }
        }
        Optional<NotificationFault> duplicate = find(applied, NotificationFault.Kind.DUPLICATE);
        int status;
        if (duplicate.isPresent()) {
            status = sendCopies(n, duplicate.get().copies(), duplicate.get().concurrent(), Delivery.Kind.DUPLICATE);
        } else {
            status = sendFirstOrRetry(n, attempt, applied);
        }
        boolean acknowledged = status >= 200 && status < 300;
        if (!acknowledged && attempt <= RETRY_SCHEDULE.size()) {
            Optional<String> heldUnder = faults.retriesHeldUnder(n.keys());
            if (heldUnder.isPresent()) {
                hold(heldUnder.get(), n, attempt + 1);
                return;
            }
            Duration wait = RETRY_SCHEDULE.get(attempt - 1);
            schedule(n, attempt + 1, List.of(), Duration.ofNanos((long) (wait.toNanos() * options.timeScale())));
        }
    }

    /** The first attempt may be corrupted by a fault; retries are always genuine. */
    private int sendFirstOrRetry(Notification n, int attempt, List<NotificationFault> applied) {
        for (NotificationFault fault : applied) {
            switch (fault.kind()) {
                case TAMPERED_BODY -> {
                    String tampered = n.body().replace("\"summary\":\"", "\"summary\":\"*");
                    return send(n, tampered, sign(n.body()), attempt, Delivery.Kind.TAMPERED_BODY);
                }
                case BAD_SIGNATURE -> {
                    PlatformIdentity.SignedHeaders genuine = sign(n.body());
                    String forged = SimCrypto.sign(
                            foreignKey, genuine.timestamp() + "\n" + genuine.nonce() + "\n" + n.body() + "\n");
                    return send(n, n.body(), genuine.withSignature(forged), attempt, Delivery.Kind.BAD_SIGNATURE);
                }
                case OLD_TIMESTAMP -> {
                    long old = Instant.now().minus(OLD_TIMESTAMP_AGE).getEpochSecond();
                    return send(
                            n,
                            n.body(),
                            platform.sign(n.body(), platform.notificationSerial(), old),
                            attempt,
                            Delivery.Kind.OLD_TIMESTAMP);
                }
                case UNKNOWN_SERIAL -> {
                    // WeChat Pay's own key, under a serial that is neither the public key id nor a downloaded
                    // certificate
                    String unknown = SimCrypto.randomHex(40);
                    return send(n, n.body(), platform.sign(n.body(), unknown), attempt, Delivery.Kind.UNKNOWN_SERIAL);
                }
                case AMOUNT_MISMATCH -> {
                    String body =
                            body(n.id(), n.eventType(), n.summary(), n.originalType(), offByOneFen(n.plaintext()));
                    return send(n, body, sign(body), attempt, Delivery.Kind.AMOUNT_MISMATCH);
                }
                case ALTERED_RESOURCE -> {
                    String body = body(
                            n.id(),
                            n.eventType(),
                            n.summary(),
                            n.originalType(),
                            altered(n.plaintext(), fault.field(), fault.jsonValue()));
                    return send(n, body, sign(body), attempt, Delivery.Kind.ALTERED_RESOURCE);
                }
                default -> {
                    // the other kinds shape when and how often a notification goes out, not its content
                }
            }
        }
        return send(n, n.body(), sign(n.body()), attempt, Delivery.Kind.GENUINE);
    }

    /**
     * Sends {@code count} copies of the genuine body, each freshly signed. Concurrent copies wait on
     * one gate so they leave together, like duplicates from several WeChat servers. Answers the
     * status of the first copy.
     */
    private int sendCopies(Notification n, int count, boolean concurrent, Delivery.Kind kind) {
        if (!concurrent) {
            int first = send(n, n.body(), sign(n.body()), 1, kind);
            for (int i = 1; i < count; i++) {
                send(n, n.body(), sign(n.body()), 0, kind);
            }
            return first;
        }
        CountDownLatch gate = new CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> copies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int attempt = i == 0 ? 1 : 0;
            copies.add(senders.submit(() -> {
                gate.await();
                return send(n, n.body(), sign(n.body()), attempt, kind);
            }));
        }
        gate.countDown();
        try {
            int first = copies.get(0).get();
            for (java.util.concurrent.Future<Integer> copy : copies) {
                copy.get();
            }
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    /** The HTTP headers of one delivery, as WeChat Pay sends them. */
    private static Map<String, String> headers(PlatformIdentity.SignedHeaders signed) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Wechatpay-Serial", signed.serial());
        headers.put("Wechatpay-Signature", signed.signature());
        headers.put("Wechatpay-Timestamp", signed.timestamp());
        headers.put("Wechatpay-Nonce", signed.nonce());
        headers.put("Wechatpay-Signature-Type", PlatformIdentity.SignedHeaders.SIGNATURE_TYPE);
        headers.put("Request-ID", UUID.randomUUID().toString());
        return headers;
    }

    private PlatformIdentity.SignedHeaders sign(String body) {
        return platform.sign(body, platform.notificationSerial());
    }

    private int send(
            Notification n, String body, PlatformIdentity.SignedHeaders headers, int attempt, Delivery.Kind kind) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(n.notifyUrl()))
                .timeout(options.notifyTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers(headers).forEach(builder::header);
        HttpRequest request = builder.build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            record(n, attempt, kind, status, null, headers.serial());
            return status;
        } catch (HttpTimeoutException e) {
            record(n, attempt, kind, -1, "timeout after " + options.notifyTimeout(), headers.serial());
        } catch (IOException e) {
            record(n, attempt, kind, -1, e.toString(), headers.serial());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            record(n, attempt, kind, -1, "simulator stopped", headers.serial());
        }
        return -1;
    }

    private synchronized void record(
            Notification n, int attempt, Delivery.Kind kind, int status, String error, String serial) {
        log.add(new Delivery(
                n.id(),
                n.eventType(),
                n.outTradeNo(),
                n.outRefundNo(),
                attempt,
                kind,
                status,
                error,
                Instant.now(),
                serial));
        notifyAll();
    }

    private static ObjectNode offByOneFen(ObjectNode plaintext) {
        ObjectNode changed = plaintext.deepCopy();
        ObjectNode amount = (ObjectNode) changed.get("amount");
        for (String field : List.of("total", "payer_total")) {
            if (amount.has(field)) {
                amount.put(field, amount.get(field).asLong() + 1);
            }
        }
        return changed;
    }

    /** A copy of the resource with the dotted {@code field} removed (null value) or set to the JSON value. */
    private static ObjectNode altered(ObjectNode plaintext, String field, String jsonValue) {
        ObjectNode changed = plaintext.deepCopy();
        String[] path = field.split("\\.");
        ObjectNode parent = changed;
        for (int i = 0; i < path.length - 1; i++) {
            if (!(parent.get(path[i]) instanceof ObjectNode child)) {
                throw new IllegalArgumentException("the resource has no object " + path[i] + " in " + field);
            }
            parent = child;
        }
        String name = path[path.length - 1];
        if (jsonValue == null) {
            parent.remove(name);
        } else {
            try {
                parent.set(name, WireFormat.JSON.readTree(jsonValue));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("not JSON: " + jsonValue, e);
            }
        }
        return changed;
    }

    private static Optional<NotificationFault> find(List<NotificationFault> faults, NotificationFault.Kind kind) {
        return faults.stream().filter(f -> f.kind() == kind).findFirst();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
