package io.wxpayfn.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The process entry point. The settings are read and checked once, by {@link Wiring} at start; when a value is
 * missing or malformed the process ends with exit code 2 and one line naming the variable, rather than a wrapped
 * stack trace.
 */
@QuarkusMain
public final class FunctionsMain implements QuarkusApplication {

    public static void main(String... args) {
        Quarkus.run(
                FunctionsMain.class,
                (exitCode, failure) -> {
                    ConfigurationException refused = configurationError(failure);
                    if (refused != null) {
                        System.err.println("configuration error: " + refused.getMessage());
                        System.exit(2);
                    }
                    System.exit(exitCode);
                },
                args);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }

    private static ConfigurationException configurationError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigurationException refused) {
                return refused;
            }
        }
        return null;
    }
}
