package io.wxpayfn.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.order.LoginFailedException;
import io.wxpayfn.order.WeChatPayUnavailableException;

/** Exchanges a wx.login code for the caller's openid at WeChat, then issues our own session for it. */
public final class LoginService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Code2SessionClient client;
    private final SessionTokens tokens;
    private final String appid;
    private final String appSecret;

    public LoginService(Code2SessionClient client, SessionTokens tokens, String appid, String appSecret) {
        this.client = client;
        this.tokens = tokens;
        this.appid = appid;
        this.appSecret = appSecret;
    }

    public Session login(String code) {
        JsonNode answer;
        try {
            answer = JSON.readTree(client.jscode2session(appid, appSecret, code, "authorization_code"));
        } catch (Exception e) {
            throw new WeChatPayUnavailableException("WeChat login service unavailable: " + e.getClass().getSimpleName(), e);
        }
        int errcode = answer.path("errcode").asInt(0);
        if (errcode == -1 || errcode == 45011) {
            throw new WeChatPayUnavailableException("WeChat login service busy (errcode " + errcode + ")", null);
        }
        String openid = answer.path("openid").asText("");
        if (errcode != 0 || openid.isEmpty()) {
            // session_key is never kept or returned: the functions do not decrypt user data.
            throw new LoginFailedException("code rejected by WeChat (errcode " + errcode + "): call wx.login again");
        }
        return tokens.issue(openid);
    }
}
