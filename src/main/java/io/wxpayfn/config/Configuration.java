package io.wxpayfn.config;

import io.wxpayfn.order.Product;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayRules;
import io.wxpayfn.wechat.WeChatPaySettings;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The typed settings of each concern, validated from the {@link Environment} mappings once and kept. A deployment
 * checks at start only the concerns its function uses ({@link #check}); the first problem stops it with a
 * {@link ConfigurationException} naming the variable, and no secret ever appears in a message.
 */
public final class Configuration {

    /** System property scf_bootstrap sets: the process runs on Tencent Cloud SCF, where only /tmp is writable. */
    public static final String PLATFORM_PROPERTY = "wxpayfn.platform";

    private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{8,64}");
    private static final Pattern PUBLIC_KEY_ID = Pattern.compile("PUB_KEY_ID_[0-9A-Za-z]+");
    private static final int MIN_API_KEY_LENGTH = 24;

    /**
     * What login needs besides the session: who the mini-program is at WeChat, and in partner mode the app secret
     * of each sub-merchant's own mini-program (by its sub_appid), whose users' codes it exchanges too.
     */
    public record LoginSettings(String appid, String appSecret, Map<String, String> subAppSecrets) {

        /** Every mini-program's app secret, by appid. */
        public Map<String, String> secretsByAppid() {
            Map<String, String> secrets = new HashMap<>(subAppSecrets);
            secrets.put(appid, appSecret);
            return Map.copyOf(secrets);
        }

        @Override
        public String toString() {
            return "LoginSettings[appid=" + appid + ", appSecret=<redacted>, subAppSecrets=" + subAppSecrets.keySet()
                    + "]";
        }
    }

    /**
     * How session tokens are signed and for how long they hold; {@code appids}: the mini-programs a token may name
     * (the deployment's own, and in partner mode its sub-merchants' own).
     */
    public record SessionSettings(String appid, String secret, Duration ttl, Set<String> appids) {
        @Override
        public String toString() {
            return "SessionSettings[appid=" + appid + ", secret=<redacted>, ttl=" + ttl + ", appids=" + appids + "]";
        }
    }

    /** What verifying and decrypting a notification needs in public-key mode: no merchant private key. */
    public record NotificationKeys(String apiV3Key, String platformPublicKeyPem, String platformPublicKeyId) {
        @Override
        public String toString() {
            return "NotificationKeys[apiV3Key=<redacted>, platformPublicKeyId=" + platformPublicKeyId + "]";
        }
    }

    /** Where order events are pushed, the secret that signs them, and how long one attempt may take. */
    public record MerchantEventsSettings(URI url, String secret, Duration timeout) {
        /** MERCHANT_EVENTS_TIMEOUT_SECONDS when unset. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

        @Override
        public String toString() {
            return "MerchantEventsSettings[url=" + url.getScheme() + "://" + url.getHost() + "/…, secret=<redacted>, "
                    + "timeout=" + timeout + "]";
        }
    }

    /** The catalogue file's products (empty without CATALOGUE_PATH) and how long an order stays payable. */
    public record CatalogueSettings(Optional<Path> file, List<Product> products, Duration orderTtl) {}

    private final Environment.WeChatPay wechatpay;
    private final Environment.MiniProgram miniProgram;
    private final Environment.Session session;
    private final Environment.Orders orders;
    private final Environment.Owner owner;
    private final Environment.Catalogue catalogue;
    private final Environment.Operator operator;
    private final Environment.Reconcile reconcile;
    private final Environment.MerchantEvents merchantEvents;
    private final boolean onScf;
    private final Map<String, Object> checked = new HashMap<>();

    public Configuration(
            Environment.WeChatPay wechatpay,
            Environment.MiniProgram miniProgram,
            Environment.Session session,
            Environment.Orders orders,
            Environment.Owner owner,
            Environment.Catalogue catalogue,
            Environment.Operator operator,
            Environment.Reconcile reconcile,
            Environment.MerchantEvents merchantEvents,
            boolean onScf) {
        this.wechatpay = wechatpay;
        this.miniProgram = miniProgram;
        this.session = session;
        this.orders = orders;
        this.owner = owner;
        this.catalogue = catalogue;
        this.operator = operator;
        this.reconcile = reconcile;
        this.merchantEvents = merchantEvents;
        this.onScf = onScf;
    }

    /** Validates the named concerns (see functions/functions.json) now, so a bad value stops the start. */
    public void check(Collection<String> concerns) {
        for (String concern : concerns) {
            switch (concern) {
                case "login" -> login();
                case "merchantMode" -> subMerchants();
                case "session" -> session();
                case "wechatpay" -> wechatPay();
                case "notifications" -> notificationKeys(concerns.contains("wechatpay"));
                case "store" -> storeUri();
                case "catalogue" -> catalogue();
                case "ownerRefunds" -> ownerRefundWindow();
                case "operator" -> operatorKey();
                case "operatorOnly" -> operatorOnlyKey();
                case "reconcile" -> reconcileKey();
                case "merchantEvents" -> merchantEvents();
                default -> throw new IllegalStateException("no check for the concern " + concern);
            }
        }
    }

    public LoginSettings login() {
        return once("login", () -> {
            baseUrl("WECHAT_API_BASE_URL", miniProgram.apiBaseUrl(), "https://api.weixin.qq.com");
            return new LoginSettings(
                    appid(),
                    required("WECHAT_APP_SECRET", miniProgram.appSecret()),
                    MerchantMode.appSecrets(value(miniProgram.appSecrets()).orElse(null), subMerchants()));
        });
    }

    /**
     * Partner mode's sub-merchants (WECHATPAY_MODE=partner, WECHATPAY_SUB_MERCHANTS); empty in direct mode, where
     * WECHATPAY_SUB_MERCHANTS must not be set.
     */
    public List<SubMerchant> subMerchants() {
        return once("merchantMode", () -> {
            if (!MerchantMode.partner(value(wechatpay.mode()).orElse(null))) {
                if (value(wechatpay.subMerchants()).isPresent()) {
                    throw new ConfigurationException(
                            MerchantMode.SUB_MERCHANTS, "is for " + MerchantMode.MODE + "=partner only");
                }
                return List.of();
            }
            return MerchantMode.subMerchants(
                    value(wechatpay.subMerchants())
                            .orElseThrow(() -> new ConfigurationException(
                                    MerchantMode.SUB_MERCHANTS, "is required in partner mode")),
                    value(wechatpay.appid()).orElse(null));
        });
    }

    /** How answers and notifications are verified (WECHATPAY_VERIFY_WITH, by default the key configured). */
    public MerchantMode.Verification verification() {
        return once(
                "verification",
                () -> MerchantMode.verification(
                        value(wechatpay.verifyWith()).orElse(null),
                        platformPublicKey().isPresent()));
    }

    public SessionSettings session() {
        return once("session", () -> {
            String secret = required("SESSION_SECRET", session.secret());
            if (secret.length() < 32) {
                throw new ConfigurationException("SESSION_SECRET", "must be at least 32 characters of random text");
            }
            Set<String> appids = new HashSet<>();
            appids.add(appid());
            subMerchants().stream()
                    .map(SubMerchant::subAppid)
                    .filter(Objects::nonNull)
                    .forEach(appids::add);
            return new SessionSettings(
                    appid(),
                    secret,
                    Duration.ofMinutes(number("SESSION_TTL_MINUTES", session.ttlMinutes(), 120, 5, 7 * 24 * 60)),
                    Set.copyOf(appids));
        });
    }

    /** The merchant's WeChat Pay API settings: everything a prepay, query, close, refund or bill needs. */
    public WeChatPaySettings wechatPay() {
        return once("wechatpay", () -> {
            Optional<NotificationKeys> platformKey = platformPublicKey();
            String privateKeyPem = pem("WECHATPAY_PRIVATE_KEY", wechatpay.privateKey(), wechatpay.privateKeyPath())
                    .orElseThrow(() -> new ConfigurationException(
                            "WECHATPAY_PRIVATE_KEY",
                            "is required (PEM text, or a file in WECHATPAY_PRIVATE_KEY_PATH)"));
            checkKey("WECHATPAY_PRIVATE_KEY", privateKeyPem, true);
            String mchid = mchid();
            String serial = requiredMatching(
                    "WECHATPAY_MERCHANT_SERIAL_NUMBER",
                    wechatpay.merchantSerialNumber(),
                    SERIAL,
                    "the certificate serial number in hex");
            // Not a setting of the gateway (each call names its order's appid), but every order it pays needs one.
            appid();
            return new WeChatPaySettings(
                    mchid,
                    serial,
                    privateKeyPem,
                    apiV3Key(),
                    platformKey.map(NotificationKeys::platformPublicKeyPem).orElse(null),
                    platformKey.map(NotificationKeys::platformPublicKeyId).orElse(null),
                    verification() == MerchantMode.Verification.BOTH,
                    notifyUrl("WECHATPAY_NOTIFY_URL", wechatpay.notifyUrl()).toString(),
                    notifyUrl("WECHATPAY_REFUND_NOTIFY_URL", wechatpay.refundNotifyUrl())
                            .toString(),
                    baseUrl("WECHATPAY_BASE_URL", wechatpay.baseUrl(), WeChatPaySettings.WECHATPAY_BASE_URL)
                            .toString(),
                    value(wechatpay.backupBaseUrl())
                            .map(url -> origin("WECHATPAY_BACKUP_BASE_URL", url).toString())
                            .orElse(null),
                    null,
                    null);
        });
    }

    /**
     * The keys a callback verifies and decrypts with. Without WeChat Pay's public key (platform-certificate
     * mode) the certificates must be downloaded, which takes the merchant key: only allowed when the function
     * also uses the {@code wechatpay} concern, and then empty.
     */
    public Optional<NotificationKeys> notificationKeys(boolean merchantKeyAvailable) {
        if (verification() == MerchantMode.Verification.BOTH) {
            // The certificates trusted beside the public key are downloaded with the merchant key.
            if (!merchantKeyAvailable) {
                throw new ConfigurationException(
                        MerchantMode.VERIFY_WITH,
                        "is both, whose platform certificates are "
                                + "downloaded with the merchant private key: add \"wechatpay\" to the callbacks' uses in "
                                + "functions/functions.json while switching");
            }
            return Optional.empty();
        }
        Optional<NotificationKeys> keys = platformPublicKey();
        if (keys.isEmpty() && !merchantKeyAvailable) {
            throw new ConfigurationException(
                    "WECHATPAY_PUBLIC_KEY",
                    "is required to verify notifications without "
                            + "the merchant private key (public-key mode); a merchant still on platform certificates adds "
                            + "\"wechatpay\" to the callbacks' uses in functions/functions.json");
        }
        return keys;
    }

    public String storeUri() {
        return once("store", () -> {
            Optional<String> set = value(orders.storeUri());
            if (onScf && set.isEmpty()) {
                throw new ConfigurationException(
                        "ORDER_STORE_URI",
                        "is required on SCF: postgresql:// or mongodb:// "
                                + "(a sqlite: file there is per instance, lost when the instance stops)");
            }
            String value = set.orElse("sqlite:data/orders.db");
            if (!value.matches("(sqlite:|postgres(ql)?://|mongodb(\\+srv)?://).+")) {
                throw new ConfigurationException(
                        "ORDER_STORE_URI", "must start with sqlite:, postgresql:// or mongodb://");
            }
            if (onScf && value.startsWith("sqlite:")) {
                Path file = Path.of("/tmp")
                        .resolve(value.substring("sqlite:".length()))
                        .normalize();
                if (!file.startsWith("/tmp/")) {
                    throw new ConfigurationException(
                            "ORDER_STORE_URI",
                            "sqlite:" + file + " is outside /tmp, the "
                                    + "only writable directory on SCF, and even there the file is per instance (lost when "
                                    + "the instance stops, not shared with other instances): use postgresql:// or mongodb://");
                }
            }
            return value;
        });
    }

    /** True when the store is a SQLite file on SCF: one instance's own, gone with it. */
    public boolean storeIsPerInstance() {
        return onScf && storeUri().startsWith("sqlite:");
    }

    public CatalogueSettings catalogue() {
        return once("catalogue", () -> {
            Optional<Path> file = value(catalogue.path()).map(p -> readablePath("CATALOGUE_PATH", p));
            List<String> subMchids =
                    subMerchants().stream().map(SubMerchant::subMchid).toList();
            return new CatalogueSettings(
                    file,
                    file.map(f -> CatalogueFile.parse(f, subMchids)).orElse(List.of()),
                    Duration.ofMinutes(number("ORDER_TTL_MINUTES", orders.ttlMinutes(), 30, 5, 7 * 24 * 60)));
        });
    }

    public Duration ownerRefundWindow() {
        return once(
                "ownerRefunds",
                () -> Duration.ofDays(number("OWNER_REFUND_WINDOW_DAYS", owner.refundWindowDays(), 7, 0, 365)));
    }

    /** OPERATOR_API_KEY, absent when unset: then nobody is an operator. */
    public Optional<String> operatorKey() {
        return once("operator", () -> apiKey("OPERATOR_API_KEY", operator.apiKey()));
    }

    /** OPERATOR_API_KEY where the function serves the operator alone (listEvents, redeliverEvents): required. */
    public String operatorOnlyKey() {
        return once("operatorOnly", () -> {
            required("OPERATOR_API_KEY", operator.apiKey());
            return operatorKey().orElseThrow();
        });
    }

    /** RECONCILE_API_KEY: required where reconcile or downloadBill is deployed (and locally), never the operator key. */
    public Optional<String> reconcileKey() {
        return once("reconcile", () -> {
            Optional<String> key = Optional.of(required("RECONCILE_API_KEY", reconcile.apiKey()));
            apiKey("RECONCILE_API_KEY", key);
            if (key.equals(value(operator.apiKey()))) {
                throw new ConfigurationException(
                        "RECONCILE_API_KEY",
                        "must differ from OPERATOR_API_KEY: the key a " + "scheduler holds must not be able to refund");
            }
            return key;
        });
    }

    /**
     * The shop's service for order events; empty when MERCHANT_EVENTS_URL is unset (events are then recorded, not
     * sent). With the URL, MERCHANT_EVENTS_SECRET is required.
     */
    public Optional<MerchantEventsSettings> merchantEvents() {
        return once("merchantEvents", () -> {
            Optional<String> url = value(merchantEvents.url());
            Optional<String> secret = value(merchantEvents.secret());
            Duration timeout = Duration.ofSeconds(number(
                    "MERCHANT_EVENTS_TIMEOUT_SECONDS",
                    merchantEvents.timeoutSeconds(),
                    MerchantEventsSettings.DEFAULT_TIMEOUT.toSeconds(),
                    1,
                    15));
            if (url.isEmpty()) {
                return Optional.empty();
            }
            if (secret.isEmpty()) {
                throw new ConfigurationException("MERCHANT_EVENTS_SECRET", "is required with MERCHANT_EVENTS_URL");
            }
            if (secret.get().length() < 32) {
                throw new ConfigurationException(
                        "MERCHANT_EVENTS_SECRET", "must be at least 32 characters of " + "random text");
            }
            return Optional.of(
                    new MerchantEventsSettings(pushUrl("MERCHANT_EVENTS_URL", url.get()), secret.get(), timeout));
        });
    }

    /** appid and mchid for the order policy, where the function has them (only unifiedOrder stamps them). */
    public Optional<String> appidIfSet() {
        return value(wechatpay.appid());
    }

    public Optional<String> mchidIfSet() {
        return value(wechatpay.mchid());
    }

    /** A summary safe for the log: which concerns, modes and where the store is, never a secret. */
    public String describe(Collection<String> concerns) {
        StringBuilder text = new StringBuilder("concerns=").append(concerns);
        if (concerns.contains("merchantMode")) {
            text.append(", merchantMode=")
                    .append(subMerchants().isEmpty() ? "direct" : "partner for " + subMerchants());
        }
        if (concerns.contains("wechatpay")) {
            text.append(", merchant=").append(wechatPay());
        }
        if (concerns.contains("store")) {
            text.append(", store=").append(storeUri().replaceAll("//[^@/]*@", "//***@"));
        }
        if (concerns.contains("merchantEvents")) {
            text.append(", merchantEvents=")
                    .append(merchantEvents().map(Object::toString).orElse("off"));
        }
        if (concerns.contains("catalogue")) {
            text.append(", catalogue=")
                    .append(catalogue().file().map(Path::toString).orElse("none"));
        }
        return text.toString();
    }

    /** Reads a concern the first time it is asked for and keeps it; readers may ask for other concerns. */
    @SuppressWarnings("unchecked")
    private synchronized <T> T once(String concern, Supplier<T> read) {
        Object known = checked.get(concern);
        if (known == null) {
            known = read.get();
            checked.put(concern, known);
        }
        return (T) known;
    }

    private String appid() {
        return requiredMatching("WECHATPAY_APPID", wechatpay.appid(), WeChatPayRules.APPID, WeChatPayRules.APPID_FORM);
    }

    private String mchid() {
        return requiredMatching("WECHATPAY_MCHID", wechatpay.mchid(), WeChatPayRules.MCHID, WeChatPayRules.MCHID_FORM);
    }

    private String apiV3Key() {
        String key = required("WECHATPAY_API_V3_KEY", wechatpay.apiV3Key());
        if (key.getBytes(StandardCharsets.UTF_8).length != 32) {
            throw new ConfigurationException("WECHATPAY_API_V3_KEY", "must be exactly 32 bytes");
        }
        return key;
    }

    private Optional<NotificationKeys> platformPublicKey() {
        return once("platformPublicKey", () -> {
            Optional<String> pem = pem("WECHATPAY_PUBLIC_KEY", wechatpay.publicKey(), wechatpay.publicKeyPath());
            Optional<String> id = value(wechatpay.publicKeyId());
            if (pem.isPresent()) {
                checkKey("WECHATPAY_PUBLIC_KEY", pem.get(), false);
                String keyId = id.orElseThrow(() ->
                        new ConfigurationException("WECHATPAY_PUBLIC_KEY_ID", "is required with WECHATPAY_PUBLIC_KEY"));
                matching("WECHATPAY_PUBLIC_KEY_ID", keyId, PUBLIC_KEY_ID, "PUB_KEY_ID_ followed by its digits");
                return Optional.of(new NotificationKeys(apiV3Key(), pem.get(), keyId));
            }
            if (id.isPresent()) {
                throw new ConfigurationException("WECHATPAY_PUBLIC_KEY", "is required with WECHATPAY_PUBLIC_KEY_ID");
            }
            return Optional.empty();
        });
    }

    private static Optional<String> value(Optional<String> raw) {
        return raw.map(String::strip).filter(v -> !v.isEmpty());
    }

    private static String required(String name, Optional<String> raw) {
        return value(raw).orElseThrow(() -> new ConfigurationException(name, "is required but not set"));
    }

    /** A variable that must be set and have {@code pattern}'s form. */
    private static String requiredMatching(String name, Optional<String> raw, Pattern pattern, String expected) {
        return matching(name, required(name, raw), pattern, expected);
    }

    private static String matching(String name, String value, Pattern pattern, String expected) {
        if (!pattern.matcher(value).matches()) {
            throw new ConfigurationException(name, "must be " + expected);
        }
        return value;
    }

    private static Optional<String> apiKey(String name, Optional<String> raw) {
        Optional<String> key = value(raw);
        if (key.isPresent() && key.get().length() < MIN_API_KEY_LENGTH) {
            throw new ConfigurationException(name, "must be at least " + MIN_API_KEY_LENGTH + " characters when set");
        }
        return key;
    }

    private static long number(String name, Optional<String> raw, long fallback, long min, long max) {
        Optional<String> value = value(raw);
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

    /** PEM text from NAME, or the file named by NAME_PATH (a mounted secret, which keeps it out of the 4 KB env). */
    private static Optional<String> pem(String name, Optional<String> inline, Optional<String> path) {
        Optional<String> text = value(inline);
        Optional<String> file = value(path);
        if (text.isPresent() && file.isPresent()) {
            throw new ConfigurationException(name, "set either " + name + " or " + name + "_PATH, not both");
        }
        if (file.isPresent()) {
            try {
                return Optional.of(Files.readString(readablePath(name + "_PATH", file.get())));
            } catch (IOException e) {
                throw new ConfigurationException(
                        name + "_PATH", "cannot be read: " + e.getClass().getSimpleName());
            }
        }
        // Platforms often store multi-line secrets with literal \n sequences.
        return text.map(v -> v.replace("\\n", "\n"));
    }

    private static void checkKey(String name, String pem, boolean isPrivate) {
        String kind = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY";
        if (!pem.contains("-----BEGIN " + kind + "-----")) {
            throw new ConfigurationException(name, "must be a PEM block starting with -----BEGIN " + kind + "-----");
        }
        String body = pem.replaceAll("-----(BEGIN|END) " + kind + "-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (isPrivate) {
                rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            } else {
                rsa.generatePublic(new X509EncodedKeySpec(der));
            }
        } catch (Exception e) {
            throw new ConfigurationException(
                    name,
                    "is not a readable RSA " + kind.toLowerCase()
                            + (isPrivate ? " in PKCS#8 form (apiclient_key.pem)" : ""));
        }
    }

    private static URI notifyUrl(String name, Optional<String> raw) {
        URI uri = pushUrl(name, required(name, raw));
        if (uri.getRawQuery() != null) {
            throw new ConfigurationException(name, "must not carry a query string (WeChat Pay refuses it)");
        }
        return uri;
    }

    /** A URL something is pushed to: https, or http to this machine only (a local run or a test). */
    private static URI pushUrl(String name, String value) {
        URI uri = uri(name, value);
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new ConfigurationException(name, "must be an https URL (http only for localhost)");
        }
        return uri;
    }

    private static URI baseUrl(String name, Optional<String> raw, String fallback) {
        URI uri = uri(name, value(raw).orElse(fallback));
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new ConfigurationException(name, "must be an http(s) URL");
        }
        return uri;
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

    private static Path readablePath(String name, String value) {
        Path path = Path.of(value);
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new ConfigurationException(name, "names no readable file: " + value);
        }
        return path;
    }
}
