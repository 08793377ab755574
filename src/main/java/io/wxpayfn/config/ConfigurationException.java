package io.wxpayfn.config;

/** Thrown at start-up when an environment variable is missing or malformed; the message is one line naming it. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String variable, String problem) {
        super(variable + ": " + problem, null, false, false);
    }
}
