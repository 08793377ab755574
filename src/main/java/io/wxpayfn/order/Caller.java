package io.wxpayfn.order;

/**
 * Who is calling: a mini-program user known by openid (from a verified session) and the appid of the mini-program
 * they logged in through, or the operator. An openid is only unique within its appid, so both must match an order.
 */
public record Caller(String openid, boolean operator, String appid) {

    /** A user of a session whose appid is not known (accepted for orders of any appid). */
    public static Caller user(String openid) {
        return new Caller(openid, false, null);
    }

    public static Caller user(String appid, String openid) {
        return new Caller(openid, false, appid);
    }

    public static Caller asOperator() {
        return new Caller(null, true, null);
    }

    /** Operators see every order; a user sees only their own. */
    public boolean mayAccess(Order order) {
        return operator
                || (openid != null
                        && openid.equals(order.openid())
                        && (appid == null || appid.equals(order.payerAppid())));
    }
}
