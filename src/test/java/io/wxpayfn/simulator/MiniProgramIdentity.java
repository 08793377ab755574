package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wxpayfn.order.WeChatLoginRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The mini-program side of WeChat: {@code wx.login()} codes and their exchange at
 * {@code /sns/jscode2session}, for each mini-program the simulator knows (the merchant's or
 * provider's appid, and the sub_appid of every sub-merchant with a mini-program of its own), each
 * with its own app secret. Codes are one-time and expire after five minutes; a user's openid is
 * derived from the user name and appid, so it is stable across restarts and differs per appid. The
 * errcodes are {@link WeChatLoginRules}', the table the login function reads.
 */
final class MiniProgramIdentity {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(5);

    private record IssuedCode(String appid, String openid, Instant expiresAt) {}

    private record User(String appid, String name) {}

    private final Map<String, String> secretsByAppid;
    private final Clock clock;
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, User> usersByOpenid = new ConcurrentHashMap<>();
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Integer> injectedErrcodes = new ConcurrentLinkedQueue<>();

    /** @param secretsByAppid every known mini-program's appid and app secret */
    MiniProgramIdentity(Map<String, String> secretsByAppid, Clock clock) {
        this.secretsByAppid = Map.copyOf(secretsByAppid);
        this.clock = clock;
    }

    String appSecret(String appid) {
        String secret = secretsByAppid.get(appid);
        if (secret == null) {
            throw new IllegalArgumentException("no mini-program with appid " + appid);
        }
        return secret;
    }

    /** 28 characters starting with 'o', like real openids; a pure function of appid and user name. */
    String openidOf(String userName, String appid) {
        appSecret(appid);
        byte[] digest = SimCrypto.sha256(appid + "/" + userName);
        String openid = "o"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
        usersByOpenid.put(openid, new User(appid, userName));
        return openid;
    }

    String loginCode(String userName, String appid) {
        String code = SimCrypto.randomAlnum(32);
        codes.put(
                code,
                new IssuedCode(appid, openidOf(userName, appid), clock.instant().plus(CODE_LIFETIME)));
        return code;
    }

    /** Real WeChat checks that an openid belongs to the appid; here: it was derived for this appid. */
    boolean knows(String openid, String appid) {
        User user = usersByOpenid.get(openid);
        return user != null && user.appid().equals(appid);
    }

    /** The same WeChat user's openid under another appid (the sp_openid of a sub_openid payer). */
    String sameUserUnder(String openid, String appid) {
        User user = usersByOpenid.get(openid);
        if (user == null) {
            throw new IllegalArgumentException("unknown openid " + openid);
        }
        return openidOf(user.name(), appid);
    }

    /**
     * The next {@code count} exchanges answer {@code errcode} (e.g. {@link WeChatLoginRules#SYSTEM_BUSY} or
     * {@link WeChatLoginRules#FREQUENCY_LIMITED}) before looking at the request, so the code stays unused.
     */
    void failNextExchanges(int count, int errcode) {
        for (int i = 0; i < count; i++) {
            injectedErrcodes.add(errcode);
        }
    }

    /** The JSON body jscode2session answers, with HTTP 200 whatever happened. */
    ObjectNode exchange(Map<String, String> query) {
        ObjectNode answer = WireFormat.JSON.createObjectNode();
        Integer injected = injectedErrcodes.poll();
        if (injected != null) {
            String errmsg = injected == WeChatLoginRules.FREQUENCY_LIMITED
                    ? "api minute-quota reach limit mustslower retry next minute"
                    : injected == WeChatLoginRules.SYSTEM_BUSY ? "system error" : "injected fault";
            return error(answer, injected, errmsg);
        }
        String appid = query.get("appid");
        if (appid == null || !secretsByAppid.containsKey(appid)) {
            return error(answer, WeChatLoginRules.INVALID_APPID, "invalid appid");
        }
        if (!secretsByAppid.get(appid).equals(query.get("secret"))) {
            return error(answer, WeChatLoginRules.INVALID_APPSECRET, "invalid appsecret");
        }
        if (!"authorization_code".equals(query.get("grant_type"))) {
            return error(answer, WeChatLoginRules.INVALID_GRANT_TYPE, "invalid grant_type");
        }
        String code = query.get("js_code");
        if (code != null && usedCodes.contains(code)) {
            return error(answer, WeChatLoginRules.CODE_USED, "code been used");
        }
        IssuedCode issued = code == null ? null : codes.remove(code); // one use, even when expired
        if (issued != null) {
            usedCodes.add(code);
        }
        if (issued == null || !issued.appid().equals(appid) || clock.instant().isAfter(issued.expiresAt())) {
            return error(answer, WeChatLoginRules.INVALID_CODE, "invalid code");
        }
        answer.put("session_key", SimCrypto.randomBase64(16));
        answer.put("openid", issued.openid());
        return answer;
    }

    private static ObjectNode error(ObjectNode answer, int errcode, String errmsg) {
        answer.put("errcode", errcode);
        answer.put("errmsg", errmsg + ", rid: " + SimCrypto.randomHex(24).toLowerCase());
        return answer;
    }
}
