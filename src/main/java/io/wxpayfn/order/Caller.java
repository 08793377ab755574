package io.wxpayfn.order;

/** Who is calling: a mini-program user known by openid (from a verified session), or the operator. */
public record Caller(String openid, boolean operator) {

    public static Caller user(String openid) {
        return new Caller(openid, false);
    }

    public static Caller asOperator() {
        return new Caller(null, true);
    }

    /** Operators see every order; a user sees only their own. */
    public boolean mayAccess(Order order) {
        return operator || (openid != null && openid.equals(order.openid()));
    }
}
