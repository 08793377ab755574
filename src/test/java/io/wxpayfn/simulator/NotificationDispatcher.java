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
import java.util.ArrayList;
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
  static final List<Duration> RETRY_SCHEDULE =
      List.of(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(30),
          Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofMinutes(20),
          Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(30),
          Duration.ofMinutes(60), Duration.ofHours(3), Duration.ofHours(3), Duration.ofHours(3),
          Duration.ofHours(6), Duration.ofHours(6));

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
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("wxsim-notify-timer"));
  private final ExecutorService senders = Executors.newCachedThreadPool(daemon("wxsim-notify-send"));
  private final List<Delivery> log = new ArrayList<>();
  private final Map<String, Notification> latestByKey = new LinkedHashMap<>();
  private final Map<String, Notification> byId = new LinkedHashMap<>();
  private final Map<String, List<Notification>> held = new LinkedHashMap<>();

  NotificationDispatcher(
      PlatformIdentity platform, String apiV3Key, SimulatorOptions options, FaultPlan faults) {
    this.platform = platform;
    this.apiV3Key = apiV3Key;
    this.options = options;
    this.faults = faults;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(options.notifyTimeout())
            .executor(senders)
            .build();
  }

  void paymentSucceeded(SimTransaction t) {
    publish(
        create("TRANSACTION.SUCCESS", "支付成功", "transaction", t.outTradeNo(), null,
            t.notifyUrl(), WireFormat.transaction(t)));
  }

  /** A refund notification goes only where the refund application asked for one. */
  void refundEnded(SimRefund r, String mchid) {
    if (r.notifyUrl() == null) {
      return;
    }
    publish(
        create(r.status().eventType(), r.status().summary(), "refund", r.outTradeNo(),
            r.outRefundNo(), r.notifyUrl(), WireFormat.refundNotification(r, mchid)));
  }

  /** Sends the stored notification again: by notification id, out_trade_no or out_refund_no. */
  void redeliver(String idOrKey, int count, boolean concurrent) {
    Notification n;
    synchronized (this) {
      n = byId.containsKey(idOrKey) ? byId.get(idOrKey) : latestByKey.get(idOrKey);
    }
    if (n == null) {
      throw new IllegalArgumentException("no notification was sent for " + idOrKey);
    }
    senders.execute(() -> sendCopies(n, count, concurrent, Delivery.Kind.REDELIVERY));
  }

  void releaseHeld(String key) {
    List<Notification> released;
    synchronized (this) {
      released = held.remove(key);
    }
    if (released != null) {
      released.forEach(n -> schedule(n, 1, List.of(), Duration.ZERO));
    }
  }

  synchronized List<Delivery> deliveries() {
    return List.copyOf(log);
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
        throw new AssertionError(
            "expected " + count + " matching deliveries within " + timeout + ", got "
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

  private Notification create(String eventType, String summary, String originalType,
      String outTradeNo, String outRefundNo, String notifyUrl, ObjectNode plaintext) {
    String id = UUID.randomUUID().toString();
    return new Notification(id, eventType, outTradeNo, outRefundNo, notifyUrl, originalType,
        summary, plaintext, body(id, eventType, summary, originalType, plaintext));
  }

  private String body(String id, String eventType, String summary, String originalType,
      ObjectNode plaintext) {
    String nonce = SimCrypto.randomAlnum(12);
    ObjectNode body = WireFormat.JSON.createObjectNode();
    body.put("id", id);
    body.put("create_time", WireFormat.time(TransactionBook.now()));
    body.put("resource_type", "encrypt-resource");
    body.put("event_type", eventType);
    body.put("summary", summary);
    ObjectNode resource = body.putObject("resource");
    resource.put("original_type", originalType);
    resource.put("algorithm", "AEAD_AES_256_GCM");
    resource.put("ciphertext",
        SimCrypto.aesGcmEncrypt(apiV3Key, nonce, originalType, plaintext.toString()));
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
      record(n, 0, Delivery.Kind.DROPPED, -1, "dropped by fault injection");
      return;
    }
    if (find(applied, NotificationFault.Kind.HOLD).isPresent()) {
      synchronized (this) {
        held.computeIfAbsent(n.keys()[0], k -> new ArrayList<>()).add(n);
      }
      return;
    }
    Duration delay =
        find(applied, NotificationFault.Kind.DELAY).map(NotificationFault::delay).orElse(Duration.ZERO);
    schedule(n, 1, applied, delay);
  }

  private void schedule(Notification n, int attempt, List<NotificationFault> applied, Duration delay) {
    if (scheduler.isShutdown()) {
      return;
    }
    scheduler.schedule(
        () -> senders.execute(() -> attempt(n, attempt, applied)),
        delay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private void attempt(Notification n, int attempt, List<NotificationFault> applied) {
    if (find(applied, NotificationFault.Kind.SIGNTEST_PROBE).isPresent()) {
      PlatformIdentity.SignedHeaders probe =
          sign(n.body())
              .withSignature(SIGNTEST_PREFIX + SimCrypto.randomBase64(96).replace('/', '_'));
      send(n, n.body(), probe, 0, Delivery.Kind.SIGNTEST_PROBE);
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
      Duration wait = RETRY_SCHEDULE.get(attempt - 1);
      schedule(n, attempt + 1, List.of(),
          Duration.ofNanos((long) (wait.toNanos() * options.timeScale())));
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
          String forged =
              SimCrypto.sign(foreignKey,
                  genuine.timestamp() + "\n" + genuine.nonce() + "\n" + n.body() + "\n");
          return send(n, n.body(), genuine.withSignature(forged), attempt, Delivery.Kind.BAD_SIGNATURE);
        }
        case OLD_TIMESTAMP -> {
          long old = Instant.now().minus(OLD_TIMESTAMP_AGE).getEpochSecond();
          return send(n, n.body(), platform.sign(n.body(), platform.publicKeyId(), old), attempt,
              Delivery.Kind.OLD_TIMESTAMP);
        }
        case AMOUNT_MISMATCH -> {
          String body = body(n.id(), n.eventType(), n.summary(), n.originalType(), offByOneFen(n.plaintext()));
          return send(n, body, sign(body), attempt, Delivery.Kind.AMOUNT_MISMATCH);
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

  private PlatformIdentity.SignedHeaders sign(String body) {
    return platform.sign(body, platform.publicKeyId());
  }

  private int send(Notification n, String body, PlatformIdentity.SignedHeaders headers,
      int attempt, Delivery.Kind kind) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(n.notifyUrl()))
            .timeout(options.notifyTimeout())
            .header("Content-Type", "application/json")
            .header("Wechatpay-Serial", headers.serial())
            .header("Wechatpay-Signature", headers.signature())
            .header("Wechatpay-Timestamp", headers.timestamp())
            .header("Wechatpay-Nonce", headers.nonce())
            .header("Wechatpay-Signature-Type", PlatformIdentity.SignedHeaders.SIGNATURE_TYPE)
            .header("Request-ID", UUID.randomUUID().toString())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      record(n, attempt, kind, status, null);
      return status;
    } catch (HttpTimeoutException e) {
      record(n, attempt, kind, -1, "timeout after " + options.notifyTimeout());
    } catch (IOException e) {
      record(n, attempt, kind, -1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      record(n, attempt, kind, -1, "simulator stopped");
    }
    return -1;
  }

  private synchronized void record(Notification n, int attempt, Delivery.Kind kind, int status, String error) {
    log.add(new Delivery(n.id(), n.eventType(), n.outTradeNo(), n.outRefundNo(), attempt, kind,
        status, error, Instant.now()));
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
