package io.wxpayfn.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The two operator API keys, each for its own calls: OPERATOR_API_KEY refunds any amount and reads any order;
 * RECONCILE_API_KEY, what a scheduler holds, only runs reconcile and downloads bills. A key that is not set
 * matches nothing, so nobody holds that scope.
 */
public final class OperatorKey {

    /** What a key lets its holder do. */
    public enum Scope {
        /** refunds, queries and closes of any order. */
        OPERATOR("OPERATOR_API_KEY"),
        /** reconcile and downloadBill, nothing else. */
        RECONCILE("RECONCILE_API_KEY");

        private final String variable;

        Scope(String variable) {
            this.variable = variable;
        }

        /** The environment variable holding this scope's key. */
        public String variable() {
            return variable;
        }
    }

    private final byte[] operator;
    private final byte[] reconcile;

    public OperatorKey(Optional<String> operatorKey, Optional<String> reconcileKey) {
        this.operator =
                operatorKey.map(key -> key.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.reconcile =
                reconcileKey.map(key -> key.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Constant-time, so a key cannot be guessed from response times. */
    public boolean matches(Scope scope, String presented) {
        byte[] expected = scope == Scope.OPERATOR ? operator : reconcile;
        return expected != null
                && presented != null
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
