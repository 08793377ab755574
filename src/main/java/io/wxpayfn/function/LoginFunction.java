package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.wxpayfn.identity.LoginService;
import io.wxpayfn.identity.Session;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code login}: a wx.login code in, a signed session out. */
public class LoginFunction {

    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z_\\-]{1,128}");
    private static final Pattern APPID = Pattern.compile("wx[0-9A-Za-z]{16}");

    @Inject
    LoginService login;

    @Funq("login")
    public Envelope login(JsonNode input) {
        return Responses.respond(() -> {
            RequestBody body = RequestBody.of(input);
            String code = body.requiredText("code", CODE, "the code from wx.login()");
            // Partner deployments serve several mini-programs: the one the code comes from (checked by the service).
            Optional<String> appid = body.optionalText("appid", APPID, "a mini-program appid (wx + 16 characters)");
            Session session = appid.map(app -> login.login(code, app)).orElseGet(() -> login.login(code));
            return Map.of("token", session.token(), "openid", session.openid(), "expiresAt", session.expiresAt());
        });
    }
}
