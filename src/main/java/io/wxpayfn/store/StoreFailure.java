package io.wxpayfn.store;

import io.wxpayfn.order.StoreUnavailableException;

/** Builds the one exception every adapter raises for a failure of its store, without secrets in the message. */
final class StoreFailure {

    private StoreFailure() {}

    static StoreUnavailableException unavailable(String kind, String action, Throwable cause, String secret) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (secret != null && !secret.isEmpty()) {
            detail = detail.replace(secret, "***");
        }
        return new StoreUnavailableException(
                kind + " order store unavailable: could not " + action + ": " + detail, cause);
    }
}
