package io.wxpayfn.function;

import io.quarkus.funqy.Funq;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.WeChatPayRules;
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
    private static final String DATE_FORM = "a date as YYYY-MM-DD";
    private static final String MCHID_FORM = "a sub_mchid, " + WeChatPayRules.MCHID_FORM;

    /** The input of downloadBill: one date's trade bill (a sub-merchant's in partner mode), a page of its rows. */
    public record DownloadBillInput(String billDate, Integer page, Integer pageSize, String subMchid) {

        public DownloadBillInput {
            InputFields.required("billDate", InputFields.form("billDate", billDate, DATE, DATE_FORM));
            page = InputFields.range("page", page == null ? 1 : page, 1, 100_000);
            pageSize = InputFields.range("pageSize", pageSize == null ? 100 : pageSize, 1, 500);
            InputFields.form("subMchid", subMchid, WeChatPayRules.MCHID, MCHID_FORM);
        }
    }

    /** The input of reconcile; every field has a default. */
    public record ReconcileInput(
            Integer expiryGraceMinutes,
            Integer staleAfterMinutes,
            String billDate,
            Integer pageSize,
            Integer maxOrders,
            ResumeFromInput resumeFrom) {

        public ReconcileInput {
            expiryGraceMinutes = InputFields.range(
                    "expiryGraceMinutes", expiryGraceMinutes == null ? 1 : expiryGraceMinutes, 0, 1440);
            staleAfterMinutes = InputFields.range(
                    "staleAfterMinutes", staleAfterMinutes == null ? 10 : staleAfterMinutes, 0, 7 * 1440);
            InputFields.form("billDate", billDate, DATE, DATE_FORM);
            pageSize = InputFields.range("pageSize", pageSize == null ? 100 : pageSize, 1, 500);
            maxOrders = InputFields.range("maxOrders", maxOrders == null ? 1000 : maxOrders, 1, 10_000);
        }
    }

    /** The {@code cursor} of an earlier reconcile report, sent back as {@code resumeFrom}. */
    public record ResumeFromInput(
            ReconcilePhase phase, String afterOutTradeNo, Integer afterBillLine, String subMchid) {

        public ResumeFromInput {
            InputFields.required("phase", phase);
            InputFields.form(
                    "afterOutTradeNo", afterOutTradeNo, WeChatPayRules.OUT_TRADE_NO, WeChatPayRules.OUT_TRADE_NO_FORM);
            afterBillLine =
                    InputFields.range("afterBillLine", afterBillLine == null ? 0 : afterBillLine, 0, Integer.MAX_VALUE);
            InputFields.form("subMchid", subMchid, WeChatPayRules.MCHID, MCHID_FORM);
        }
    }

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
    public Envelope downloadBill(DownloadBillInput input) {
        return Responses.respond(() -> {
            callers.reconciler();
            LocalDate date = billDate(input.billDate());
            String subMchid = subMchid(input.subMchid(), "subMchid");
            TradeBill bill = new TradeBillParser().parse(bills.tradeBill(date, subMchid));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("billDate", date.toString());
            if (subMchid != null) {
                data.put("subMchid", subMchid);
            }
            data.put("summary", bill.summary());
            data.put("page", input.page());
            data.put("pageSize", input.pageSize());
            data.put("totalRows", bill.rows().size());
            data.put("rows", bill.page(input.page(), input.pageSize()));
            return data;
        });
    }

    @Funq("reconcile")
    public Envelope reconcile(ReconcileInput input) {
        return Responses.respond(() -> {
            callers.reconciler();
            ReconcileReport report = reconciler.run(new ReconcileRequest(
                    clock.instant(),
                    Duration.ofMinutes(input.expiryGraceMinutes()),
                    Duration.ofMinutes(input.staleAfterMinutes()),
                    input.billDate() == null ? null : billDate(input.billDate()),
                    input.pageSize(),
                    input.maxOrders(),
                    cursor(input.resumeFrom())));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("summary", report.summary());
            data.put("report", report);
            return data;
        });
    }

    private LocalDate billDate(String text) {
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("billDate", "is not a calendar date");
        }
        if (date.isAfter(LocalDate.now(clock.withZone(BEIJING)))) {
            throw new InvalidRequestException("billDate", "must not be in the future (Beijing time)");
        }
        return date;
    }

    private ReconcileCursor cursor(ResumeFromInput resumeFrom) {
        if (resumeFrom == null) {
            return null;
        }
        return new ReconcileCursor(
                resumeFrom.phase(),
                resumeFrom.afterOutTradeNo(),
                resumeFrom.afterBillLine(),
                subMchid(resumeFrom.subMchid(), "resumeFrom.subMchid"));
    }

    /** A sub_mchid from the operator, accepted only when it is one of this deployment's sub-merchants. */
    private String subMchid(String subMchid, String field) {
        if (subMchid != null && policy.subMerchant(subMchid).isEmpty()) {
            throw new InvalidRequestException(
                    field,
                    policy.partner()
                            ? "is not a sub-merchant of this deployment"
                            : "is for partner mode; this deployment is a direct merchant's");
        }
        return subMchid;
    }
}
