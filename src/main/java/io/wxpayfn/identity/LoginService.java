package io.wxpayfn.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.LoginFailedException;
import io.wxpayfn.order.LoginUnavailableException;
import io.wxpayfn.order.WeChatLoginRules;
import java.util.Map;

/**
 * Exchanges a wx.login code for the caller's openid at WeChat, then issues our own session for it. The code is
 * exchanged against the appid of the mini-program it came from (and that appid's secret), since an openid belongs
 * to one appid: the deployment's own, or in partner mode a sub-merchant's mini-program (sub_appid).
 */
public final class LoginService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Code2SessionClient client;
    private final SessionTokens tokens;
    private final String appid;
    private final Map<String, String> secretsByAppid;

    /** One mini-program. */
    public LoginService(Code2SessionClient client, SessionTokens tokens, String appid, String appSecret) {
        this(client, tokens, appid, Map.of(appid, appSecret));
    }

    /** @param secretsByAppid the app secret of every mini-program users log in through; {@code appid} the default */
    public LoginService(
            Code2SessionClient client, SessionTokens tokens, String appid, Map<String, String> secretsByAppid) {
        this.client = client;
        this.tokens = tokens;
        this.appid = appid;
        this.secretsByAppid = Map.copyOf(secretsByAppid);
    }

    /** A login in the default mini-program. */
    public Session login(String code) {
        return login(code, appid);
    }

    /** @throws InvalidRequestException when {@code appid} is not a mini-program of this deployment */
    public Session login(String code, String appid) {
        String appSecret = secretsByAppid.get(appid);
        if (appSecret == null) {
            throw new InvalidRequestException("appid", "is not a mini-program of this deployment");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(client.jscode2session(appid, appSecret, code, "authorization_code"));
        } catch (Exception e) {
            throw new LoginUnavailableException(
                    "WeChat login service unavailable: " + e.getClass().getSimpleName(), e);
        }
        int errcode = answer.path("errcode").asInt(0);
        if (WeChatLoginRules.RETRYABLE_ERRCODES.contains(errcode)) {
            throw new LoginUnavailableException("WeChat login service busy (errcode " + errcode + ")", null);
        }
        String openid = answer.path("openid").asText("");
        if (errcode != 0 || openid.isEmpty()) {
            // session_key is never kept or returned: the functions do not decrypt user data.
            throw new LoginFailedException("code rejected by WeChat (errcode " + errcode + "): call wx.login again");
        }
        return tokens.issue(appid, openid);
    }
}
