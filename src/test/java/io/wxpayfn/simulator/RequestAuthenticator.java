package io.wxpayfn.simulator;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a merchant's {@code Authorization: WECHATPAY2-SHA256-RSA2048 …} header against the
 * merchant's public key, over {@code METHOD\nrawTarget\ntimestamp\nnonce\nbody\n}.
 */
final class RequestAuthenticator {

    private static final String SCHEME = "WECHATPAY2-SHA256-RSA2048 ";
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final String mchid;
    private final String serialNumber;
    private final PublicKey merchantKey;

    RequestAuthenticator(String mchid, String serialNumber, PublicKey merchantKey) {
        this.mchid = mchid;
        this.serialNumber = serialNumber;
        this.merchantKey = merchantKey;
    }

    /** Throws the ApiError WeChat would answer unless the request is genuinely the merchant's. */
    void authenticate(SimRequest request) {
        String header = request.header("Authorization");
        if (header == null || !header.startsWith(SCHEME)) {
            throw signError("Authorization 头缺失或认证类型不是 WECHATPAY2-SHA256-RSA2048");
        }
        Map<String, String> fields = parseFields(header.substring(SCHEME.length()));
        for (String name : new String[] {"mchid", "nonce_str", "timestamp", "serial_no", "signature"}) {
            if (fields.get(name) == null || fields.get(name).isEmpty()) {
                throw signError("Authorization 头缺少 " + name);
            }
        }
        if (!mchid.equals(fields.get("mchid"))) {
            throw new ApiError(403, "NO_AUTH", "商户号 " + fields.get("mchid") + " 无权限");
        }
        if (!serialNumber.equalsIgnoreCase(fields.get("serial_no"))) {
            throw signError("商户证书序列号有误，请检查 serial_no");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(fields.get("timestamp"));
        } catch (NumberFormatException e) {
            throw signError("timestamp 格式错误");
        }
        if (Duration.between(Instant.ofEpochSecond(timestamp), Instant.now())
                        .abs()
                        .compareTo(MAX_CLOCK_SKEW)
                > 0) {
            throw signError("请求时间戳与服务器时间相差超过5分钟");
        }
        String message = request.method() + "\n" + request.rawTarget() + "\n" + fields.get("timestamp") + "\n"
                + fields.get("nonce_str") + "\n" + request.body() + "\n";
        if (!SimCrypto.verify(merchantKey, message, fields.get("signature"))) {
            throw signError("签名错误，请检查后再试");
        }
    }

    /** Parses {@code k1="v1",k2="v2"} in any order; values never contain quotes or commas. */
    private static Map<String, String> parseFields(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String value = part.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                fields.put(part.substring(0, eq).trim(), value);
            }
        }
        return fields;
    }

    private static ApiError signError(String message) {
        return new ApiError(401, "SIGN_ERROR", message);
    }
}
