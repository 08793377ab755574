package io.wxpayfn.config;

import io.wxpayfn.order.SubMerchant;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates {@link Settings} from environment-variable names. The first problem found stops start-up
 * with a {@link ConfigurationException} naming the variable; values of secrets never appear in a message.
 */
public final class SettingsReader {

    private static final Pattern APPID = Pattern.compile("wx[0-9A-Za-z]{16}");
    private static final Pattern MCHID = Pattern.compile("[0-9]{8,12}");
    private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{8,64}");
    private static final Pattern PUBLIC_KEY_ID = Pattern.compile("PUB_KEY_ID_[0-9A-Za-z]+");

    private final Function<String, Optional<String>> lookup;

    /** @param lookup the value of an environment variable by name, empty when unset or blank */
    public SettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = name -> lookup.apply(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    public Settings read() {
        String publicKeyPem = pemFromValueOrPath("WECHATPAY_PUBLIC_KEY", false);
        String publicKeyId = optional("WECHATPAY_PUBLIC_KEY_ID").orElse(null);
        if (publicKeyPem != null) {
            checkKey("WECHATPAY_PUBLIC_KEY", publicKeyPem, false);
            if (publicKeyId == null) {
                throw new ConfigurationException("WECHATPAY_PUBLIC_KEY_ID", "is required with WECHATPAY_PUBLIC_KEY");
            }
            matching("WECHATPAY_PUBLIC_KEY_ID", publicKeyId, PUBLIC_KEY_ID, "PUB_KEY_ID_ followed by its digits");
        } else if (publicKeyId != null) {
            throw new ConfigurationException("WECHATPAY_PUBLIC_KEY", "is required with WECHATPAY_PUBLIC_KEY_ID");
        }
        String privateKeyPem = pemFromValueOrPath("WECHATPAY_PRIVATE_KEY", true);
        checkKey("WECHATPAY_PRIVATE_KEY", privateKeyPem, true);
        String apiV3Key = required("WECHATPAY_API_V3_KEY");
        if (apiV3Key.getBytes(StandardCharsets.UTF_8).length != 32) {
            throw new ConfigurationException("WECHATPAY_API_V3_KEY", "must be exactly 32 bytes");
        }
        String sessionSecret = required("SESSION_SECRET");
        if (sessionSecret.length() < 32) {
            throw new ConfigurationException("SESSION_SECRET", "must be at least 32 characters of random text");
        }
        String operatorKey = optional("OPERATOR_API_KEY").orElse(null);
        if (operatorKey != null && operatorKey.length() < 24) {
            throw new ConfigurationException("OPERATOR_API_KEY", "must be at least 24 characters when set");
        }
        String appid = matching("WECHATPAY_APPID", required("WECHATPAY_APPID"), APPID,
                "wx followed by 16 letters or digits");
        MerchantMode.Verification verification = MerchantMode.verification(
                optional(MerchantMode.VERIFY_WITH).orElse(null), publicKeyPem != null);
        List<SubMerchant> subMerchants = List.of();
        if (MerchantMode.partner(optional(MerchantMode.MODE).orElse(null))) {
            subMerchants = MerchantMode.subMerchants(optional(MerchantMode.SUB_MERCHANTS).orElseThrow(() ->
                    new ConfigurationException(MerchantMode.SUB_MERCHANTS, "is required in partner mode")), appid);
        } else {
            for (String partnerOnly : List.of(MerchantMode.SUB_MERCHANTS, MerchantMode.APP_SECRETS)) {
                if (optional(partnerOnly).isPresent()) {
                    throw new ConfigurationException(partnerOnly, "is for " + MerchantMode.MODE + "=partner only");
                }
            }
        }
        Map<String, String> subAppSecrets = MerchantMode.appSecrets(optional(MerchantMode.APP_SECRETS).orElse(null),
                subMerchants);
        return new Settings(
                appid,
                matching("WECHATPAY_MCHID", required("WECHATPAY_MCHID"), MCHID, "8 to 12 digits"),
                matching("WECHATPAY_MERCHANT_SERIAL_NUMBER", required("WECHATPAY_MERCHANT_SERIAL_NUMBER"), SERIAL,
                        "the certificate serial number in hex"),
                privateKeyPem,
                apiV3Key,
                publicKeyPem,
                publicKeyId,
                notifyUrl("WECHATPAY_NOTIFY_URL"),
                notifyUrl("WECHATPAY_REFUND_NOTIFY_URL"),
                baseUrl("WECHATPAY_BASE_URL", "https://api.mch.weixin.qq.com"),
                required("WECHAT_APP_SECRET"),
                baseUrl("WECHAT_API_BASE_URL", "https://api.weixin.qq.com"),
                storeUri(),
                sessionSecret,
                Duration.ofMinutes(number("SESSION_TTL_MINUTES", 120, 5, 7 * 24 * 60)),
                operatorKey,
                optional("CATALOGUE_PATH").map(p -> readablePath("CATALOGUE_PATH", p)).orElse(null),
                Duration.ofMinutes(number("ORDER_TTL_MINUTES", 30, 5, 7 * 24 * 60)),
                Duration.ofDays(number("OWNER_REFUND_WINDOW_DAYS", 7, 0, 365)),
                subMerchants,
                subAppSecrets,
                verification,
                optional("WECHATPAY_BACKUP_BASE_URL").map(url -> origin("WECHATPAY_BACKUP_BASE_URL", url)).orElse(null));
    }

    /** An http(s) origin without path, query or user info: WeChat Pay's signed path is appended unchanged. */
    private static URI origin(String name, String value) {
        URI uri = uri(name, value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new ConfigurationException(name, "must be an http(s) URL");
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new ConfigurationException(name, "must be scheme://host[:port] with no path");
        }
        return uri;
    }

    private Optional<String> optional(String name) {
        return lookup.apply(name);
    }

    private String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigurationException(name, "is required but not set"));
    }

    private static String matching(String name, String value, Pattern pattern, String expected) {
        if (!pattern.matcher(value).matches()) {
            throw new ConfigurationException(name, "must be " + expected);
        }
        return value;
    }

    private long number(String name, long fallback, long min, long max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new ConfigurationException(name, "must be a whole number from " + min + " to " + max);
    }

    /** PEM text from NAME, or the file named by NAME_PATH. */
    private String pemFromValueOrPath(String name, boolean needed) {
        Optional<String> inline = optional(name);
        Optional<String> path = optional(name + "_PATH");
        if (inline.isPresent() && path.isPresent()) {
            throw new ConfigurationException(name, "set either " + name + " or " + name + "_PATH, not both");
        }
        if (path.isPresent()) {
            try {
                return Files.readString(readablePath(name + "_PATH", path.get()));
            } catch (IOException e) {
                throw new ConfigurationException(name + "_PATH", "cannot be read: " + e.getClass().getSimpleName());
            }
        }
        if (inline.isEmpty() && needed) {
            throw new ConfigurationException(name, "is required (PEM text, or a file in " + name + "_PATH)");
        }
        // Platforms often store multi-line secrets with literal \n sequences.
        return inline.map(v -> v.replace("\\n", "\n")).orElse(null);
    }

    private static void checkKey(String name, String pem, boolean isPrivate) {
        String kind = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY";
        String body = pem.replaceAll("-----(BEGIN|END) " + kind + "-----", "").replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN " + kind + "-----")) {
            throw new ConfigurationException(name, "must be a PEM block starting with -----BEGIN " + kind + "-----");
        }
        try {
            byte[] der = Base64.getDecoder().decode(body);
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (isPrivate) {
                rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            } else {
                rsa.generatePublic(new X509EncodedKeySpec(der));
            }
        } catch (Exception e) {
            throw new ConfigurationException(name, "is not a readable RSA " + kind.toLowerCase()
                    + (isPrivate ? " in PKCS#8 form (apiclient_key.pem)" : ""));
        }
    }

    private URI notifyUrl(String name) {
        URI uri = uri(name, required(name));
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new ConfigurationException(name, "must be an https URL (http only for localhost)");
        }
        if (uri.getRawQuery() != null) {
            throw new ConfigurationException(name, "must not carry a query string (WeChat Pay refuses it)");
        }
        return uri;
    }

    private URI baseUrl(String name, String fallback) {
        URI uri = uri(name, optional(name).orElse(fallback));
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new ConfigurationException(name, "must be an http(s) URL");
        }
        return uri;
    }

    private static URI uri(String name, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null) {
                throw new ConfigurationException(name, "must be an absolute URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name, "is not a valid URL");
        }
    }

    private String storeUri() {
        String value = optional("ORDER_STORE_URI").orElse("sqlite:data/orders.db");
        if (!value.matches("(sqlite:|postgres(ql)?://|mongodb(\\+srv)?://).+")) {
            throw new ConfigurationException("ORDER_STORE_URI",
                    "must start with sqlite:, postgresql:// or mongodb://");
        }
        return value;
    }

    private static Path readablePath(String name, String value) {
        Path path = Path.of(value);
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new ConfigurationException(name, "names no readable file: " + value);
        }
        return path;
    }
}
