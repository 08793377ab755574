package io.wxpayfn.order;

import java.util.Set;

/**
 * The errcodes of WeChat's jscode2session (小程序登录) that the login function branches on or the simulator answers,
 * each written once with its source, read by both (see {@link WeChatPayRules} for why). jscode2session answers HTTP
 * 200 whatever happened; the outcome is its errcode (absent or 0 on success). Sources:
 * <ul>
 * <li>[CODE2SESSION] the 错误码 table of auth.code2Session,
 * developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html.</li>
 * <li>[GLOBAL] WeChat's 全局返回码 table (shared by the api.weixin.qq.com APIs),
 * developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html.</li>
 * <li>[OBSERVED] answered by WeChat and reported in its developer community, not in a documented table.</li>
 * </ul>
 */
public final class WeChatLoginRules {

    private WeChatLoginRules() {}

    /** [CODE2SESSION] -1 system error: "系统繁忙，此时请开发者稍候再试". */
    public static final int SYSTEM_BUSY = -1;

    /** [CODE2SESSION] 45011 "API 调用太频繁，请稍候再试" (errmsg "api minute-quota reach limit mustslower retry next minute"). */
    public static final int FREQUENCY_LIMITED = 45011;

    /** The errcodes after which the same login may be tried again later: WeChat, not the code, was the problem. */
    public static final Set<Integer> RETRYABLE_ERRCODES = Set.of(SYSTEM_BUSY, FREQUENCY_LIMITED);

    /** [CODE2SESSION] 40029 "code 无效" (errmsg "invalid code"): never issued, for another appid, or expired. */
    public static final int INVALID_CODE = 40029;

    /** [OBSERVED] 40163 "code been used": a code exchanged a second time (a wx.login() code is single-use). */
    public static final int CODE_USED = 40163;

    /** [CODE2SESSION] 40226 "高风险等级用户，小程序登录拦截" (errmsg "code blocked"). */
    public static final int CODE_BLOCKED = 40226;

    /** [GLOBAL] 40013 "不合法的 AppID" (errmsg "invalid appid"). */
    public static final int INVALID_APPID = 40013;

    /** [GLOBAL] 40125 "不合法的 secret" (errmsg "invalid appsecret"). */
    public static final int INVALID_APPSECRET = 40125;

    /** [GLOBAL] 40002 "不合法的凭证类型" (errmsg "invalid grant_type"). */
    public static final int INVALID_GRANT_TYPE = 40002;
}
