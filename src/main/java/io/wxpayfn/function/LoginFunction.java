package io.wxpayfn.function;

import io.quarkus.funqy.Funq;
import io.wxpayfn.identity.LoginService;
import io.wxpayfn.identity.Session;
import io.wxpayfn.order.WeChatPayRules;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code login}: a wx.login code in, a signed session out. */
public class LoginFunction {

    /**
     * The input of login. Partner deployments serve several mini-programs: {@code appid} names the one the code comes
     * from (the service checks it is one of this deployment's).
     */
    public record LoginInput(String code, String appid) {

        private static final Pattern CODE = Pattern.compile("[0-9A-Za-z_\\-]{1,128}");

        public LoginInput {
            InputFields.required("code", InputFields.form("code", code, CODE, "the code from wx.login()"));
            InputFields.form(
                    "appid", appid, WeChatPayRules.APPID, "a mini-program appid, " + WeChatPayRules.APPID_FORM);
        }
    }

    @Inject
    LoginService login;

    @Funq("login")
    public Envelope login(LoginInput input) {
        return Responses.respond(() -> {
            Session session =
                    input.appid() == null ? login.login(input.code()) : login.login(input.code(), input.appid());
            return Map.of("token", session.token(), "openid", session.openid(), "expiresAt", session.expiresAt());
        });
    }
}
