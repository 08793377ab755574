package io.wxpayfn.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whom the functions take payments for, and how answers and notifications are verified: the settings of the
 * merchant modes, each refused with one line naming its variable.
 *
 * <ul>
 *   <li>{@code WECHATPAY_MODE} {@code direct} (default): WECHATPAY_APPID/MCHID are the merchant's own.
 *   {@code partner}: they are the service provider's sp_appid and sp_mchid (its keys and serial too), and
 *   {@code WECHATPAY_SUB_MERCHANTS} lists the sub-merchants it takes payments for here:
 *   {@code [{"subMchid":"1900000201","subAppid":"wx…"},{"subMchid":"1900000202"}]}; a sub-merchant with a
 *   subAppid is paid in its own mini-program, one without in the provider's.</li>
 *   <li>{@code WECHAT_APP_SECRETS}: the app secret of each sub-merchant's mini-program, {@code {"wx…":"…"}}.</li>
 *   <li>{@code WECHATPAY_VERIFY_WITH}: {@code public-key}, {@code platform-certificates} or {@code both}.</li>
 * </ul>
 */
public final class MerchantMode {

    static final String MODE = "WECHATPAY_MODE";
    static final String SUB_MERCHANTS = "WECHATPAY_SUB_MERCHANTS";
    static final String APP_SECRETS = "WECHAT_APP_SECRETS";
    static final String VERIFY_WITH = "WECHATPAY_VERIFY_WITH";
    private static final int MAX_SUB_MERCHANTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How WeChat Pay's signatures on answers and notifications are verified. */
    public enum Verification {
        /** With the WeChat Pay public key (PUB_KEY_ID_…) only. */
        PUBLIC_KEY,
        /** With the platform certificates, downloaded at start. */
        PLATFORM_CERTIFICATES,
        /** With either, by Wechatpay-Serial: the switch from certificates to the public key. */
        BOTH
    }

    private MerchantMode() {}

    /** @return true for partner mode; {@code value} is WECHATPAY_MODE, null when unset */
    static boolean partner(String value) {
        if (value == null || value.equals("direct")) {
            return false;
        }
        if (value.equals("partner")) {
            return true;
        }
        throw new ConfigurationException(MODE, "must be direct or partner");
    }

    /** The sub-merchants of WECHATPAY_SUB_MERCHANTS: at least one, each sub_mchid and sub_appid once. */
    static List<SubMerchant> subMerchants(String json, String spAppid) {
        JsonNode root = parse(SUB_MERCHANTS, json);
        if (!root.isArray() || root.isEmpty() || root.size() > MAX_SUB_MERCHANTS) {
            throw new ConfigurationException(
                    SUB_MERCHANTS,
                    "must be a JSON array of 1 to " + MAX_SUB_MERCHANTS + " {\"subMchid\", \"subAppid\"?} objects");
        }
        List<SubMerchant> subMerchants = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            String where = "entry " + i;
            if (!entry.isObject()) {
                throw new ConfigurationException(SUB_MERCHANTS, where + " must be an object");
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("subMchid") && !name.equals("subAppid")) {
                    throw new ConfigurationException(SUB_MERCHANTS, where + " has an unknown field " + name);
                }
            }
            String subMchid = text(entry, "subMchid");
            if (subMchid == null || !WeChatPayRules.MCHID.matcher(subMchid).matches()) {
                throw new ConfigurationException(
                        SUB_MERCHANTS, where + ": subMchid must be " + WeChatPayRules.MCHID_FORM);
            }
            String subAppid = text(entry, "subAppid");
            if (subAppid != null && (!WeChatPayRules.APPID.matcher(subAppid).matches() || subAppid.equals(spAppid))) {
                throw new ConfigurationException(
                        SUB_MERCHANTS,
                        where + ": subAppid must be the sub-merchant's own mini-program appid ("
                                + WeChatPayRules.APPID_FORM + "), not WECHATPAY_APPID");
            }
            if (!seen.add(subMchid) || subAppid != null && !seen.add(subAppid)) {
                throw new ConfigurationException(SUB_MERCHANTS, where + " repeats a subMchid or subAppid");
            }
            subMerchants.add(new SubMerchant(subMchid, subAppid));
        }
        return List.copyOf(subMerchants);
    }

    /**
     * The app secrets of WECHAT_APP_SECRETS, by appid: exactly the sub-merchants' own mini-programs, since login
     * exchanges their users' codes with them. {@code json} null is no secrets (refused when one is needed).
     */
    static Map<String, String> appSecrets(String json, List<SubMerchant> subMerchants) {
        Set<String> needed = new HashSet<>();
        subMerchants.stream().map(SubMerchant::subAppid).filter(a -> a != null).forEach(needed::add);
        if (json == null) {
            if (!needed.isEmpty()) {
                throw new ConfigurationException(
                        APP_SECRETS,
                        "is required: the app secret of every subAppid of " + SUB_MERCHANTS + " ("
                                + String.join(", ", new java.util.TreeSet<>(needed)) + ")");
            }
            return Map.of();
        }
        JsonNode root = parse(APP_SECRETS, json);
        if (!root.isObject()) {
            throw new ConfigurationException(APP_SECRETS, "must be a JSON object {\"<subAppid>\": \"<app secret>\"}");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!needed.contains(field.getKey())) {
                // The key is an appid, never a secret, so it may be named.
                throw new ConfigurationException(APP_SECRETS, field.getKey() + " is no subAppid of " + SUB_MERCHANTS);
            }
            if (!field.getValue().isTextual() || field.getValue().textValue().isBlank()) {
                throw new ConfigurationException(APP_SECRETS, "the secret of " + field.getKey() + " must be text");
            }
            secrets.put(field.getKey(), field.getValue().textValue());
        }
        needed.removeAll(secrets.keySet());
        if (!needed.isEmpty()) {
            throw new ConfigurationException(
                    APP_SECRETS, "has no secret for " + String.join(", ", new java.util.TreeSet<>(needed)));
        }
        return Map.copyOf(secrets);
    }

    /**
     * WECHATPAY_VERIFY_WITH, defaulting to the public key when one is configured and to the platform certificates
     * otherwise; the public key is required by {@code public-key} and {@code both}, and refused beside
     * {@code platform-certificates}.
     */
    static Verification verification(String value, boolean publicKeyGiven) {
        Verification verification;
        if (value == null) {
            verification = publicKeyGiven ? Verification.PUBLIC_KEY : Verification.PLATFORM_CERTIFICATES;
        } else {
            verification = switch (value) {
                case "public-key" -> Verification.PUBLIC_KEY;
                case "platform-certificates" -> Verification.PLATFORM_CERTIFICATES;
                case "both" -> Verification.BOTH;
                default ->
                    throw new ConfigurationException(VERIFY_WITH, "must be public-key, platform-certificates or both");
            };
        }
        if (verification != Verification.PLATFORM_CERTIFICATES && !publicKeyGiven) {
            throw new ConfigurationException(
                    VERIFY_WITH, "is " + value + ", which needs WECHATPAY_PUBLIC_KEY and " + "WECHATPAY_PUBLIC_KEY_ID");
        }
        if (verification == Verification.PLATFORM_CERTIFICATES && publicKeyGiven) {
            throw new ConfigurationException(
                    VERIFY_WITH,
                    "is platform-certificates, but WECHATPAY_PUBLIC_KEY is set:"
                            + " use both while switching to the public key");
        }
        return verification;
    }

    private static JsonNode parse(String variable, String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null) {
                throw new ConfigurationException(variable, "is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the text, which may hold a secret: only the position is named.
            throw new ConfigurationException(
                    variable, "is not valid JSON (column " + e.getLocation().getColumnNr() + ")");
        }
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : "";
    }
}
