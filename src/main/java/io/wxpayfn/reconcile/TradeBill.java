package io.wxpayfn.reconcile;

import java.util.List;

/** A parsed trade bill whose rows are known to agree with its summary. */
public record TradeBill(List<TradeBillRow> rows, TradeBillSummary summary) {

    public TradeBill {
        rows = List.copyOf(rows);
    }
}
