package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.wechat.pay.java.core.auth.Credential;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator signs with its public key or its platform certificate, switched at run time as WeChat Pay does
 * during a merchant's switch to the public key, and serves one state on a primary and a backup endpoint, either of
 * which can be made unreachable.
 */
class SigningKeyAndEndpointTest extends SimulatorWithSdk {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void restore() {
        sim.signWith(SigningKey.AS_REQUESTED);
        sim.restartEndpoint(Endpoint.PRIMARY);
    }

    /** A signed GET of an order query at one endpoint; answers the response. */
    private HttpResponse<String> query(String baseUrl, String outTradeNo, String requestedSerial)
            throws IOException, InterruptedException {
        String target = "/v3/pay/transactions/out-trade-no/" + outTradeNo + "?mchid="
                + sim.merchant().mchid();
        Credential credential = sdk.config.createCredential();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + target))
                .header(
                        "Authorization",
                        credential.getAuthorization(URI.create("https://api.mch.weixin.qq.com" + target), "GET", ""))
                .header("Accept", "application/json");
        if (requestedSerial != null) {
            request.header("Wechatpay-Serial", requestedSerial);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAreSignedAsRequestedUntilTheSigningKeyIsSwitched() throws Exception {
        JsapiPaymentTest.prepay("SIGNKEY001", 100);
        String certificate = sim.platformCertificateSerial();
        String publicKey = sim.merchant().platformPublicKeyId();

        assertEquals(publicKey, serial(query(sim.baseUrl(), "SIGNKEY001", publicKey)));
        assertEquals(certificate, serial(query(sim.baseUrl(), "SIGNKEY001", certificate)));
        sim.signWith(SigningKey.PLATFORM_CERTIFICATE);
        assertEquals(certificate, serial(query(sim.baseUrl(), "SIGNKEY001", publicKey)));
        sim.signWith(SigningKey.PUBLIC_KEY);
        assertEquals(publicKey, serial(query(sim.baseUrl(), "SIGNKEY001", certificate)));
    }

    @Test
    void notificationsAreSignedWithTheSwitchedKey() {
        String prepayId = JsapiPaymentTest.prepay("SIGNKEY002", 100); // the SDK here trusts the public key only
        sim.signWith(SigningKey.PLATFORM_CERTIFICATE);
        sim.pay(prepayId);
        Delivery delivered = sim.awaitDeliveries(d -> d.concerns("SIGNKEY002"), 1, Duration.ofSeconds(10))
                .get(0);
        assertEquals(sim.platformCertificateSerial(), delivered.serial());
    }

    @Test
    void bothEndpointsServeOneStateAndAStoppedOneRefusesConnections() throws Exception {
        JsapiPaymentTest.prepay("ENDPOINT01", 100);
        assertEquals(200, query(sim.backupBaseUrl(), "ENDPOINT01", null).statusCode(), "the backup knows the order");

        sim.stopEndpoint(Endpoint.PRIMARY);
        assertThrows(ConnectException.class, () -> query(sim.baseUrl(), "ENDPOINT01", null));
        assertEquals(200, query(sim.backupBaseUrl(), "ENDPOINT01", null).statusCode());

        sim.restartEndpoint(Endpoint.PRIMARY);
        assertEquals(200, query(sim.baseUrl(), "ENDPOINT01", null).statusCode());
        assertEquals(2, sim.requests(Endpoint.BACKUP).size());
    }

    private static String serial(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("Wechatpay-Serial").orElseThrow();
    }
}
