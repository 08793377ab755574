package io.wxpayfn.config;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.function.SimulatorResource;
import io.wxpayfn.order.Product;
import io.wxpayfn.store.SqliteOrderStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A restart with a catalogue file that no longer lists a product: the file is the truth, so that product stops
 * being orderable at its old price, while what the file lists still sells.
 */
@QuarkusTest
@TestProfile(CatalogueFileIsTheTruthTest.EarlierDeploymentSoldAScone.class)
class CatalogueFileIsTheTruthTest {

    /** The store as an earlier deployment left it: its catalogue file also listed a scone, active. */
    public static class EarlierDeploymentSoldAScone implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile(Files.createDirectories(Path.of("target")), "catalogue-truth-", ".db");
                try (SqliteOrderStore earlier = new SqliteOrderStore(file)) {
                    earlier.saveProducts(List.of(
                            new Product("scone-old", "司康", 1500, true),
                            new Product("coffee-latte", "拿铁咖啡", 2800, true)));
                }
                return Map.of("ORDER_STORE_URI", "sqlite:" + file.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static JsonPath order(String token, String productId) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token)
                .body(Map.of(
                        "idempotencyKey",
                        "truth-" + productId,
                        "items",
                        List.of(Map.of("productId", productId, "quantity", 1))))
                .post("/unifiedOrder")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aProductRemovedFromTheCatalogueFileIsNoLongerOrderableAfterARestart() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("code", SimulatorResource.simulator().loginCode("truth")))
                .post("/login")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("data.token");

        JsonPath scone = order(token, "scone-old");
        assertEquals(40001, scone.getInt("errcode"), scone.prettify());
        assertTrue(scone.getString("errmsg").startsWith("items[0].productId"), scone.getString("errmsg"));

        JsonPath latte = order(token, "coffee-latte");
        assertEquals(0, latte.getInt("errcode"), latte.prettify());
        assertEquals(2800, latte.getLong("data.order.total"));
    }
}
