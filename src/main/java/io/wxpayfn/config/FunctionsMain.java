package io.wxpayfn.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Optional;

/**
 * The process entry point. The configuration is checked before Quarkus starts, so a missing or malformed variable
 * ends the process with one line naming it rather than a wrapped stack trace; the beans read it again, from the
 * same names, once Quarkus runs.
 */
@QuarkusMain
public final class FunctionsMain {

    private FunctionsMain() {
    }

    public static void main(String... args) {
        try {
            new SettingsReader(FunctionsMain::lookup).read();
        } catch (ConfigurationException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        }
        Quarkus.run(args);
    }

    private static Optional<String> lookup(String name) {
        return Optional.ofNullable(System.getProperty(name)).or(() -> Optional.ofNullable(System.getenv(name)));
    }
}
