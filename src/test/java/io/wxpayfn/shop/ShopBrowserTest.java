package io.wxpayfn.shop;

import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wxpayfn.function.SimulatorResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The demo shop in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core from src/test/js),
 * against these functions and the simulator: src/test/js/browser/shop.test.mjs. Screenshots go to
 * target/screenshots/. Without Chromium, a Chinese font or the npm modules it fails with one line saying what to
 * install; it never passes without having run.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
class ShopBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final String INSTALL =
            " (run .ci/run, or: apt-get install chromium fonts-wqy-zenhei;" + " cd src/test/js && npm ci)";

    @TestHTTPResource("/")
    URL functions;

    @ConfigProperty(name = "WECHATPAY_BASE_URL")
    String simulator;

    @ConfigProperty(name = "CATALOGUE_PATH")
    String catalogue;

    @Test
    void shopperPaysAtTheCashierSeesTheOrderPaidLiveRefundsItAndACancelOrDroppedNotificationEndsRight() {
        requireBrowser();
        deleteOldScreenshots();
        try (ShopServer shop = ShopServer.start(
                0,
                URI.create(functions.toString()),
                URI.create(simulator),
                Path.of(catalogue),
                Path.of("miniprogram"))) {
            NodeTests.runTests(
                    "browser",
                    Map.of(
                            "SHOP_URL", shop.url().toString(),
                            "SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString(),
                            "PROFILE_PARENT", Path.of("target").toAbsolutePath().toString(),
                            "CHROMIUM", CHROMIUM.toString()),
                    240,
                    "browser/shop.test.mjs");
        }
    }

    /** So that target/screenshots shows this run only (a failure.png of an earlier run would mislead). */
    private static void deleteOldScreenshots() {
        try (Stream<Path> old = Files.list(Files.createDirectories(SCREENSHOTS))) {
            for (Path file : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireBrowser() {
        NodeTests.requireNode();
        if (!Files.isExecutable(CHROMIUM)) {
            fail("the browser test needs Chromium at " + CHROMIUM + INSTALL);
        }
        if (!Files.isDirectory(NodeTests.JS_TESTS.resolve("node_modules/playwright-core"))) {
            fail("the browser test needs playwright-core in src/test/js/node_modules" + INSTALL);
        }
        if (chineseFonts().isBlank()) {
            fail("the browser test needs a Chinese font (fc-list :lang=zh lists none)" + INSTALL);
        }
    }

    private static String chineseFonts() {
        try {
            Process fcList = new ProcessBuilder("fc-list", ":lang=zh", "family")
                    .redirectErrorStream(true)
                    .start();
            String fonts = new String(fcList.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            fcList.waitFor(30, TimeUnit.SECONDS);
            return fcList.exitValue() == 0 ? fonts : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
