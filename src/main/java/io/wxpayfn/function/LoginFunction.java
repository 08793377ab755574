package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.wxpayfn.identity.LoginService;
import io.wxpayfn.identity.Session;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.regex.Pattern;

/** {@code login}: a wx.login code in, a signed session out. */
public class LoginFunction {

    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z_\\-]{1,128}");

    @Inject
    LoginService login;

    @Funq("login")
    public Envelope login(JsonNode input) {
        return Responses.respond(() -> {
            String code = RequestBody.of(input).requiredText("code", CODE, "the code from wx.login()");
            Session session = login.login(code);
            return Map.of("token", session.token(), "openid", session.openid(), "expiresAt", session.expiresAt());
        });
    }
}
