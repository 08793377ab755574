package io.wxpayfn.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a trade bill in WeChat Pay's CSV layout: every field prefixed with a backtick, amounts in
 * yuan, then a summary header and one summary row. A partner order's row names the provider
 * (公众账号ID sp_appid, 商户号 sp_mchid, 用户标识 sp_openid) and the sub-merchant (特约商户号). A payment row belongs to the Asia/Shanghai date
 * of its success_time, a refund row to the date of the refund's success_time.
 */
final class BillWriter {

    enum BillType {
        ALL,
        SUCCESS,
        REFUND
    }

    static final String HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
            + "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,"
            + "退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
    static final String SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
    private static final String EOL = "\r\n";
    private static final BigDecimal FEE_RATE = new BigDecimal("0.006");
    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private record Row(
            OffsetDateTime time,
            List<String> fields,
            long settled,
            long refunded,
            long fee,
            long ordered,
            long refundApplied) {}

    /** Null when there is nothing for that day: WeChat answers NO_STATEMENT_EXIST then. */
    static String write(LocalDate date, BillType type, List<SimTransaction> transactions, List<SimRefund> refunds) {
        List<Row> rows = new ArrayList<>();
        if (type != BillType.REFUND) {
            transactions.stream()
                    .filter(t -> t.successTime() != null && onDate(t.successTime(), date))
                    .forEach(t -> rows.add(paymentRow(t)));
        }
        if (type != BillType.SUCCESS) {
            refunds.stream()
                    .filter(r -> r.status() == RefundStatus.SUCCESS && onDate(r.successTime(), date))
                    .forEach(r -> transactions.stream()
                            .filter(t -> t.outTradeNo().equals(r.outTradeNo()))
                            .findFirst()
                            .ifPresent(t -> rows.add(refundRow(t, r))));
        }
        if (rows.isEmpty()) {
            return null;
        }
        rows.sort(Comparator.comparing(Row::time));
        StringBuilder csv = new StringBuilder(HEADER).append(EOL);
        rows.forEach(row -> csv.append(String.join(",", row.fields())).append(EOL));
        csv.append(SUMMARY_HEADER).append(EOL);
        csv.append(String.join(
                        ",",
                        field(Integer.toString(rows.size())),
                        yuan(rows.stream().mapToLong(Row::settled).sum()),
                        yuan(rows.stream().mapToLong(Row::refunded).sum()),
                        yuan(0),
                        yuan(rows.stream().mapToLong(Row::fee).sum()),
                        yuan(rows.stream().mapToLong(Row::ordered).sum()),
                        yuan(rows.stream().mapToLong(Row::refundApplied).sum())))
                .append(EOL);
        return csv.toString();
    }

    private static Row paymentRow(SimTransaction t) {
        long fee = fee(t.total());
        List<String> fields = List.of(
                field(local(t.successTime()).format(ROW_TIME)),
                field(t.appid()),
                field(t.mchid()),
                field(subMchid(t)),
                field(""),
                field(t.transactionId()),
                field(t.outTradeNo()),
                field(t.openid()),
                field("JSAPI"),
                field("SUCCESS"),
                field("OTHERS"),
                field(t.currency()),
                yuan(t.total()),
                yuan(0),
                field("0"),
                field("0"),
                yuan(0),
                yuan(0),
                field(""),
                field(""),
                field(t.description()),
                field(t.attach() == null ? "" : t.attach()),
                yuan(fee),
                field("0.60%"),
                yuan(t.total()),
                yuan(0),
                field(""));
        return new Row(t.successTime(), fields, t.total(), 0, fee, t.total(), 0);
    }

    private static Row refundRow(SimTransaction t, SimRefund r) {
        long fee = -fee(r.refund());
        List<String> fields = List.of(
                field(local(r.successTime()).format(ROW_TIME)),
                field(t.appid()),
                field(t.mchid()),
                field(subMchid(t)),
                field(""),
                field(t.transactionId()),
                field(t.outTradeNo()),
                field(t.openid()),
                field("JSAPI"),
                field("REFUND"),
                field("OTHERS"),
                field(t.currency()),
                yuan(0),
                yuan(0),
                field(r.refundId()),
                field(r.outRefundNo()),
                yuan(r.refund()),
                yuan(0),
                field("ORIGINAL"),
                field("SUCCESS"),
                field(t.description()),
                field(t.attach() == null ? "" : t.attach()),
                yuan(fee),
                field("0.60%"),
                yuan(0),
                yuan(r.refund()),
                field(""));
        return new Row(r.successTime(), fields, 0, r.refund(), fee, 0, r.refund());
    }

    /** 特约商户号: the sub-merchant of a partner order (the provider's bill), "0" for a direct one. */
    private static String subMchid(SimTransaction t) {
        return t.partner() ? t.subMchid() : "0";
    }

    /** Fee in fen at 0.6%, rounded half up, as the bill's 手续费 column shows it. */
    private static long fee(long fen) {
        return BigDecimal.valueOf(fen)
                .multiply(FEE_RATE)
                .setScale(0, RoundingMode.HALF_UP)
                .longValue();
    }

    private static boolean onDate(OffsetDateTime time, LocalDate date) {
        return time != null && local(time).toLocalDate().equals(date);
    }

    private static OffsetDateTime local(OffsetDateTime time) {
        return time.atZoneSameInstant(TransactionBook.SHANGHAI).toOffsetDateTime();
    }

    private static String field(String value) {
        return "`" + value;
    }

    private static String yuan(long fen) {
        return field(BigDecimal.valueOf(fen, 2).toPlainString());
    }
}
