package io.wxpayfn.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What one reconcile run should do. An unpaid order counts as expired {@code expiryGrace} after its expiresAt; a
 * non-final order or refund counts as stale when its document has not changed for {@code staleAfter}. The bill
 * phase runs only with a {@code billDate}. At most {@code maxOrders} orders or bill lines are handled per run,
 * read {@code pageSize} at a time. {@code resumeFrom} is a previous report's cursor, or null to start over.
 */
public record ReconcileRequest(
        Instant now,
        Duration expiryGrace,
        Duration staleAfter,
        LocalDate billDate,
        int pageSize,
        int maxOrders,
        ReconcileCursor resumeFrom) {

    public ReconcileRequest {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiryGrace, "expiryGrace");
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (expiryGrace.isNegative() || staleAfter.isNegative()) {
            throw new IllegalArgumentException("expiryGrace and staleAfter must not be negative");
        }
        if (pageSize < 1 || maxOrders < 1) {
            throw new IllegalArgumentException("pageSize and maxOrders must be positive");
        }
        if (resumeFrom == null) {
            resumeFrom = ReconcileCursor.start();
        }
    }
}
