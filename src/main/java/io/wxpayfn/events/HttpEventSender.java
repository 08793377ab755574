package io.wxpayfn.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.order.EventSender;
import io.wxpayfn.order.OrderEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one event to MERCHANT_EVENTS_URL, signed ({@link EventSignature}). The whole attempt, connecting included, is
 * bounded by {@code timeout}; only the status is read (the body is not, so a receiver streaming one cannot hold the
 * attempt), redirects are not followed, and any 2xx is an acknowledgement.
 */
public final class HttpEventSender implements EventSender {

    private final URI url;
    private final EventSignature signature;
    private final EventPayload payload;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;

    public HttpEventSender(URI url, String secret, ObjectMapper json, Clock clock, Duration timeout) {
        this.url = url;
        this.signature = new EventSignature(secret);
        this.payload = new EventPayload(json);
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** How long one attempt may hold an event: twice the attempt timeout, and a second to record its outcome. */
    public static Duration leaseFor(Duration timeout) {
        return timeout.multipliedBy(2).plusSeconds(1);
    }

    @Override
    public DeliveryOutcome send(OrderEvent event) {
        byte[] body = payload.render(event);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "wxpayfn-events/1")
                .header(EventSignature.ID_HEADER, event.id())
                .header(EventSignature.TYPE_HEADER, event.type().name())
                .header(EventSignature.TIMESTAMP_HEADER, timestamp)
                .header(EventSignature.SIGNATURE_HEADER, signature.sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpEventSender::statusOnly);
        try {
            int status = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return status / 100 == 2 ? DeliveryOutcome.ok() : DeliveryOutcome.failedWith("HTTP " + status);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return DeliveryOutcome.failedWith("interrupted");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        }
    }

    private DeliveryOutcome timedOut() {
        return DeliveryOutcome.failedWith("no answer within " + timeout.toSeconds() + " s");
    }

    /** A few words naming what went wrong, never a message that could carry the receiver's text. */
    private DeliveryOutcome failure(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return timedOut();
        }
        if (cause instanceof ConnectException) {
            return DeliveryOutcome.failedWith("connection refused or unreachable");
        }
        if (cause instanceof IOException) {
            return DeliveryOutcome.failedWith("I/O error: " + cause.getClass().getSimpleName());
        }
        return DeliveryOutcome.failedWith("failed: " + cause.getClass().getSimpleName());
    }

    /** Completes with the status line and headers; the body is cancelled unread (the connection is then closed). */
    private static HttpResponse.BodySubscriber<Void> statusOnly(HttpResponse.ResponseInfo info) {
        return new HttpResponse.BodySubscriber<>() {
            @Override
            public CompletionStage<Void> getBody() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                // never requested
            }

            @Override
            public void onError(Throwable throwable) {
                // the status is all that was wanted
            }

            @Override
            public void onComplete() {
                // nothing to finish
            }
        };
    }
}
