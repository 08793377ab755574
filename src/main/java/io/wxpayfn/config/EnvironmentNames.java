package io.wxpayfn.config;

import io.smallrye.config.FallbackConfigSourceInterceptor;
import java.util.Locale;
import java.util.Set;

/**
 * Lets every configuration source, not only the process environment, supply a property of this project under
 * its environment-variable name: {@code wechatpay.merchant-serial-number} is also looked up as
 * {@code WECHATPAY_MERCHANT_SERIAL_NUMBER}. The environment is where deployments set them; tests and
 * {@code -D} flags use the same names as the documentation.
 */
public final class EnvironmentNames extends FallbackConfigSourceInterceptor {

    private static final Set<String> PREFIXES = Set.of(
            "wechatpay",
            "wechat",
            "session",
            "order",
            "owner",
            "catalogue",
            "operator",
            "reconcile",
            "merchant-events",
            "function");

    public EnvironmentNames() {
        super(EnvironmentNames::variableOf);
    }

    /** The environment-variable name of a property of this project; any other name is returned unchanged. */
    static String variableOf(String property) {
        int dot = property.indexOf('.');
        if (dot < 0 || !PREFIXES.contains(property.substring(0, dot))) {
            return property;
        }
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
