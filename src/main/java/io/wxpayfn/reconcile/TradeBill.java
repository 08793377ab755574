package io.wxpayfn.reconcile;

import java.util.List;

/** A parsed trade bill whose rows are known to agree with its summary. */
public record TradeBill(List<TradeBillRow> rows, TradeBillSummary summary) {

    public TradeBill {
        rows = List.copyOf(rows);
    }

    /** Rows {@code (page - 1) * pageSize + 1} onwards, at most {@code pageSize}; empty past the last row. */
    public List<TradeBillRow> page(int page, int pageSize) {
        if (page < 1 || pageSize < 1) {
            throw new IllegalArgumentException("page and pageSize start at 1");
        }
        int from = (int) Math.min((long) (page - 1) * pageSize, rows.size());
        return rows.subList(from, (int) Math.min((long) from + pageSize, rows.size()));
    }
}
