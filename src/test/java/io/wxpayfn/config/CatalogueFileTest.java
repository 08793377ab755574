package io.wxpayfn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Product;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueFileTest {

    @TempDir
    Path dir;

    @Test
    void theSampleCatalogueParsesIntoActiveProductsWithTheirPricesInFen() {
        List<Product> products = CatalogueFile.parse(Path.of("scripts/catalogue.sample.json"), List.of());

        Product latte = products.stream()
                .filter(p -> p.id().equals("coffee-latte"))
                .findFirst()
                .orElseThrow();
        assertEquals(2800, latte.price());
        assertTrue(latte.active());
    }

    @Test
    void malformedJsonIsRefusedNamingTheVariableAndTheLine() throws IOException {
        Path file = Files.writeString(dir.resolve("catalogue.json"), "[\n{\"id\": \"mug\",\n");

        ConfigurationException refused =
                assertThrows(ConfigurationException.class, () -> CatalogueFile.parse(file, List.of()));

        assertTrue(refused.getMessage().startsWith("CATALOGUE_PATH"), refused.getMessage());
        assertTrue(refused.getMessage().contains("not valid JSON"), refused.getMessage());
    }

    @Test
    void aProductWithoutAPositivePriceIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("catalogue.json"), "[{\"id\":\"mug\",\"name\":\"Mug\",\"price\":0}]");

        ConfigurationException refused =
                assertThrows(ConfigurationException.class, () -> CatalogueFile.parse(file, List.of()));

        assertTrue(refused.getMessage().contains("price must be a positive whole number"), refused.getMessage());
    }

    @Test
    void thePartnerSampleNamesEachProductsSubMerchantAndOnlyConfiguredOnesAreAccepted() {
        Path partner = Path.of("scripts/catalogue.partner.sample.json");
        List<Product> products = CatalogueFile.parse(partner, List.of("1900000201", "1900000202"));
        assertEquals(
                "1900000202",
                products.stream()
                        .filter(p -> p.id().equals("tea-green"))
                        .findFirst()
                        .orElseThrow()
                        .subMchid());

        ConfigurationException unconfigured =
                assertThrows(ConfigurationException.class, () -> CatalogueFile.parse(partner, List.of("1900000201")));
        assertTrue(
                unconfigured.getMessage().contains("1900000202 is not one of WECHATPAY_SUB_MERCHANTS"),
                unconfigured.getMessage());
        assertThrows(
                ConfigurationException.class,
                () -> CatalogueFile.parse(partner, List.of()),
                "a direct merchant sells no sub-merchant's products");
    }

    @Test
    void withSeveralSubMerchantsEveryProductNamesItsOwn() {
        ConfigurationException refused = assertThrows(
                ConfigurationException.class,
                () -> CatalogueFile.parse(
                        Path.of("scripts/catalogue.sample.json"), List.of("1900000201", "1900000202")));
        assertTrue(refused.getMessage().contains("subMchid is required"), refused.getMessage());
    }
}
