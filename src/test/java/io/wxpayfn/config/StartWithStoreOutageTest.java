package io.wxpayfn.config;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.wxpayfn.function.SimulatorResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cold start with a catalogue while the store is down: the instance starts (nothing opens the store at start),
 * login works, and the first request that needs the store gets the documented 50302 envelope, not a bare 500.
 */
@QuarkusTest
@TestProfile(StartWithStoreOutageTest.StoreDown.class)
class StartWithStoreOutageTest {

    /** PostgreSQL on a port where nothing listens; the shared resource still sets CATALOGUE_PATH. */
    public static class StoreDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "ORDER_STORE_URI",
                    "postgresql://postgres:postgres@127.0.0.1:" + closedPort + "/postgres?connectTimeout=1");
        }
    }

    @Test
    void aStoreOutageAtColdStartWithACatalogueAnswers50302NotABare500() {
        JsonPath login = given().contentType(ContentType.JSON)
                .body(Map.of("code", SimulatorResource.simulator().loginCode("outage")))
                .post("/login")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(0, login.getInt("errcode"), login.prettify());

        for (int attempt = 0; attempt < 2; attempt++) {
            Response placed = given().contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + login.getString("data.token"))
                    .body(Map.of(
                            "idempotencyKey",
                            "outage-at-start-" + attempt,
                            "items",
                            List.of(Map.of("productId", "coffee-latte", "quantity", 1))))
                    .post("/unifiedOrder");
            assertEquals(200, placed.statusCode(), placed.asString());
            JsonPath answer = placed.jsonPath();
            assertEquals(50302, answer.getInt("errcode"), answer.prettify());
            assertFalse(answer.getString("errmsg").contains("Exception"), answer.getString("errmsg"));
        }
    }
}
