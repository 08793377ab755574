package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.reconcile.BillSource;
import io.wxpayfn.reconcile.ReconcileCursor;
import io.wxpayfn.reconcile.ReconcilePhase;
import io.wxpayfn.reconcile.ReconcileReport;
import io.wxpayfn.reconcile.ReconcileRequest;
import io.wxpayfn.reconcile.Reconciler;
import io.wxpayfn.reconcile.TradeBill;
import io.wxpayfn.reconcile.TradeBillParser;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code downloadBill} and {@code reconcile}: the operator's tools for keeping the store equal to WeChat Pay. */
public class OperationsFunctions {

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern PHASE = Pattern.compile("EXPIRED|STALE|BILL");
    private static final Pattern MCHID = Pattern.compile("[0-9]{8,12}");

    @Inject
    Callers callers;

    @Inject
    BillSource bills;

    @Inject
    Reconciler reconciler;

    @Inject
    Clock clock;

    @Inject
    OrderPolicy policy;

    @Funq("downloadBill")
    public Envelope downloadBill(JsonNode input) {
        return Responses.respond(() -> {
            callers.reconciler();
            RequestBody body = RequestBody.of(input);
            LocalDate date = billDate(body).orElseThrow(() -> new InvalidRequestException("billDate", "is required"));
            int page = body.optionalInt("page", 1, 100_000, 1);
            int pageSize = body.optionalInt("pageSize", 1, 500, 100);
            String subMchid =
                    subMchid(body.optionalText("subMchid", MCHID, "a sub_mchid (8 to 12 digits)"), "subMchid");
            TradeBill bill = new TradeBillParser().parse(bills.tradeBill(date, subMchid));
            int from = Math.min((page - 1) * pageSize, bill.rows().size());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("billDate", date.toString());
            if (subMchid != null) {
                data.put("subMchid", subMchid);
            }
            data.put("summary", bill.summary());
            data.put("page", page);
            data.put("pageSize", pageSize);
            data.put("totalRows", bill.rows().size());
            data.put(
                    "rows",
                    bill.rows()
                            .subList(from, Math.min(from + pageSize, bill.rows().size())));
            return data;
        });
    }

    @Funq("reconcile")
    public Envelope reconcile(JsonNode input) {
        return Responses.respond(() -> {
            callers.reconciler();
            RequestBody body = RequestBody.of(input);
            ReconcileRequest request = new ReconcileRequest(
                    clock.instant(),
                    Duration.ofMinutes(body.optionalInt("expiryGraceMinutes", 0, 1440, 1)),
                    Duration.ofMinutes(body.optionalInt("staleAfterMinutes", 0, 7 * 1440, 10)),
                    billDate(body).orElse(null),
                    body.optionalInt("pageSize", 1, 500, 100),
                    body.optionalInt("maxOrders", 1, 10_000, 1000),
                    cursor(body.node().get("resumeFrom")));
            ReconcileReport report = reconciler.run(request);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("summary", report.summary());
            data.put("report", report);
            return data;
        });
    }

    private java.util.Optional<LocalDate> billDate(RequestBody body) {
        return body.optionalText("billDate", DATE, "a date as YYYY-MM-DD").map(text -> {
            try {
                LocalDate date = LocalDate.parse(text);
                if (date.isAfter(LocalDate.now(clock.withZone(BEIJING)))) {
                    throw new InvalidRequestException("billDate", "must not be in the future (Beijing time)");
                }
                return date;
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("billDate", "is not a calendar date");
            }
        });
    }

    private ReconcileCursor cursor(JsonNode resumeFrom) {
        if (resumeFrom == null || resumeFrom.isNull()) {
            return null;
        }
        if (!resumeFrom.isObject()) {
            throw new InvalidRequestException("resumeFrom", "must be the cursor of an earlier report");
        }
        RequestBody cursor = RequestBody.of(resumeFrom);
        String phase = cursor.requiredText("phase", PHASE, "EXPIRED, STALE or BILL");
        return new ReconcileCursor(
                ReconcilePhase.valueOf(phase),
                cursor.optionalText("afterOutTradeNo", RequestBody.OUT_TRADE_NO, "an outTradeNo")
                        .orElse(null),
                cursor.optionalInt("afterBillLine", 0, Integer.MAX_VALUE, 0),
                subMchid(cursor.optionalText("subMchid", MCHID, "a sub_mchid"), "subMchid"));
    }

    /** A sub_mchid from the operator, accepted only when it is one of this deployment's sub-merchants. */
    private String subMchid(java.util.Optional<String> subMchid, String field) {
        if (subMchid.isPresent() && policy.subMerchant(subMchid.get()).isEmpty()) {
            throw new InvalidRequestException(
                    field,
                    policy.partner()
                            ? "is not a sub-merchant of this deployment"
                            : "is for partner mode; this deployment is a direct merchant's");
        }
        return subMchid.orElse(null);
    }
}
