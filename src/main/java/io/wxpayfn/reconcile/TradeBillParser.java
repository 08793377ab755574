package io.wxpayfn.reconcile;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Reads WeChat Pay's trade-bill CSV: a 27-column header, one line per payment or refund with every field prefixed
 * by a backtick, then a summary header and one summary line. The whole bill is read or none of it: any fault
 * raises {@link BillFormatException} naming the line, and the summary must agree with the lines.
 */
public final class TradeBillParser {

    static final List<String> HEADER = List.of(
            "交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型", "交易状态", "付款银行", "货币种类", "应结订单金额",
            "代金券金额", "微信退款单号", "商户退款单号", "退款金额", "充值券退款金额", "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率", "订单金额",
            "申请退款金额", "费率备注");
    static final List<String> SUMMARY_HEADER =
            List.of("总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额", "订单总金额", "申请退款总金额");

    /** 商品名称 and 商户数据包: the only columns whose text may contain a comma. */
    private static final Set<Integer> FREE_TEXT_COLUMNS = Set.of(20, 21);

    private static final Pattern YUAN = Pattern.compile("(0|[1-9][0-9]{0,14})\\.([0-9]{2})");
    private static final Pattern FEE = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,10})?");
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,9}");
    private static final DateTimeFormatter TRADE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    /** Bill times are Beijing time without an offset. */
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    /** Parses a whole bill. */
    public TradeBill parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        if (!lines[0].isEmpty() && lines[0].charAt(0) == '\uFEFF') {
            lines[0] = lines[0].substring(1);
        }
        int index = nextContentLine(lines, 0);
        if (index == lines.length) {
            throw new BillFormatException(1, "the bill is empty: expected the header " + String.join(",", HEADER));
        }
        checkHeader(lines[index], index + 1, HEADER, "the bill header");
        List<TradeBillRow> rows = new ArrayList<>();
        index = nextContentLine(lines, index + 1);
        while (index < lines.length && !isHeader(lines[index], SUMMARY_HEADER)) {
            rows.add(row(lines[index], index + 1));
            index = nextContentLine(lines, index + 1);
        }
        if (index == lines.length) {
            throw new BillFormatException(
                    lines.length, "the bill ends without the summary header " + String.join(",", SUMMARY_HEADER));
        }
        int summaryHeaderLine = index + 1;
        index = nextContentLine(lines, index + 1);
        if (index == lines.length) {
            throw new BillFormatException(summaryHeaderLine, "the summary header is not followed by a summary line");
        }
        TradeBillSummary summary = summary(lines[index], index + 1);
        checkSummary(summary, rows, index + 1);
        int extra = nextContentLine(lines, index + 1);
        if (extra < lines.length) {
            throw new BillFormatException(extra + 1, "unexpected content after the summary line");
        }
        return new TradeBill(rows, summary);
    }

    private static TradeBillRow row(String line, int lineNumber) {
        List<String> f = fields(line, lineNumber, HEADER);
        Field field = new Field(f, HEADER, lineNumber);
        return new TradeBillRow(
                lineNumber,
                field.time(0),
                field.text(1),
                field.text(2),
                field.id(3),
                field.text(4),
                field.text(5),
                field.text(6),
                field.text(7),
                field.text(8),
                field.text(9),
                field.text(10),
                field.text(11),
                field.fen(12),
                field.fen(13),
                field.id(14),
                field.id(15),
                field.fen(16),
                field.fen(17),
                field.text(18),
                field.text(19),
                field.text(20),
                field.text(21),
                field.fee(22),
                field.text(23),
                field.fen(24),
                field.fen(25),
                field.text(26));
    }

    private static TradeBillSummary summary(String line, int lineNumber) {
        Field field = new Field(fields(line, lineNumber, SUMMARY_HEADER), SUMMARY_HEADER, lineNumber);
        return new TradeBillSummary(
                field.count(0), field.fen(1), field.fen(2), field.fen(3), field.fee(4), field.fen(5), field.fen(6));
    }

    /** A total of the summary line and the column of the bill's lines it is the sum of. */
    private record SummedTotal(
            String what, ToLongFunction<TradeBillSummary> stated, ToLongFunction<TradeBillRow> perRow) {}

    private static final List<SummedTotal> SUMMED_TOTALS = List.of(
            new SummedTotal(
                    "应结订单总金额 (settlement total, fen)",
                    TradeBillSummary::settlementTotal,
                    TradeBillRow::settlementTotal),
            new SummedTotal("退款总金额 (refund total, fen)", TradeBillSummary::refundTotal, TradeBillRow::refundAmount),
            new SummedTotal(
                    "充值券退款总金额 (recharge coupon refund total, fen)",
                    TradeBillSummary::rechargeCouponRefundTotal,
                    TradeBillRow::rechargeCouponRefund),
            new SummedTotal("订单总金额 (order total, fen)", TradeBillSummary::orderTotal, TradeBillRow::orderTotal),
            new SummedTotal(
                    "申请退款总金额 (requested refund total, fen)",
                    TradeBillSummary::requestedRefundTotal,
                    TradeBillRow::requestedRefund));

    /**
     * Fee totals are not compared: WeChat may sum unrounded fees, and the fee is not part of any order's state.
     * Everything that is money of an order must add up exactly.
     */
    private static void checkSummary(TradeBillSummary summary, List<TradeBillRow> rows, int lineNumber) {
        List<String> wrong = new ArrayList<>();
        compare(wrong, "总交易单数 (trade count)", summary.tradeCount(), rows.size());
        for (SummedTotal total : SUMMED_TOTALS) {
            compare(
                    wrong,
                    total.what(),
                    total.stated().applyAsLong(summary),
                    rows.stream().mapToLong(total.perRow()).sum());
        }
        if (!wrong.isEmpty()) {
            throw new BillFormatException(
                    lineNumber, "the summary disagrees with the bill's lines: " + String.join("; ", wrong));
        }
    }

    private static void compare(List<String> wrong, String what, long stated, long computed) {
        if (stated != computed) {
            wrong.add(what + " says " + stated + " but the lines add up to " + computed);
        }
    }

    /**
     * Splits on commas; a piece without the leading backtick continues the field before it only where WeChat puts
     * free text (product name, attach), which may itself hold a comma.
     */
    private static List<String> fields(String line, int lineNumber, List<String> columns) {
        List<String> fields = new ArrayList<>();
        for (String piece : line.split(",", -1)) {
            if (piece.startsWith("`")) {
                fields.add(piece.substring(1));
            } else if (!fields.isEmpty() && columns == HEADER && FREE_TEXT_COLUMNS.contains(fields.size() - 1)) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "," + piece);
            } else {
                int column = fields.size();
                throw new BillFormatException(
                        lineNumber,
                        "field " + (column + 1)
                                + (column < columns.size() ? " (" + columns.get(column) + ")" : "")
                                + " does not start with a backtick");
            }
        }
        if (fields.size() != columns.size()) {
            throw new BillFormatException(
                    lineNumber, "expected " + columns.size() + " columns, found " + fields.size());
        }
        return fields;
    }

    private static void checkHeader(String line, int lineNumber, List<String> expected, String what) {
        if (!isHeader(line, expected)) {
            throw new BillFormatException(
                    lineNumber,
                    "expected " + what + " " + String.join(",", expected) + " but found " + abbreviate(line));
        }
    }

    private static boolean isHeader(String line, List<String> expected) {
        return List.of(line.strip().split(",", -1)).equals(expected);
    }

    private static int nextContentLine(String[] lines, int from) {
        int index = from;
        while (index < lines.length && lines[index].isBlank()) {
            index++;
        }
        return index;
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    /** Typed access to the fields of one line, each fault naming the line and column. */
    private record Field(List<String> values, List<String> columns, int lineNumber) {

        String text(int i) {
            String value = values.get(i).strip();
            return value.isEmpty() ? null : value;
        }

        /** WeChat writes "0" for an id that does not apply (no refund, no sub-merchant). */
        String id(int i) {
            String value = text(i);
            return value == null || value.equals("0") ? null : value;
        }

        long fen(int i) {
            String value = values.get(i).strip();
            var match = YUAN.matcher(value);
            if (!match.matches()) {
                throw fault(i, "amount '" + value + "' is not yuan with two decimals");
            }
            return Math.addExact(
                    Math.multiplyExact(Long.parseLong(match.group(1)), 100L), Long.parseLong(match.group(2)));
        }

        BigDecimal fee(int i) {
            String value = values.get(i).strip();
            if (!FEE.matcher(value).matches()) {
                throw fault(i, "fee '" + value + "' is not a decimal amount");
            }
            return new BigDecimal(value);
        }

        long count(int i) {
            String value = values.get(i).strip();
            if (!COUNT.matcher(value).matches()) {
                throw fault(i, "count '" + value + "' is not a whole number");
            }
            return Long.parseLong(value);
        }

        Instant time(int i) {
            String value = values.get(i).strip();
            try {
                return LocalDateTime.parse(value, TRADE_TIME).toInstant(BEIJING);
            } catch (DateTimeParseException e) {
                throw fault(i, "time '" + value + "' is not yyyy-MM-dd HH:mm:ss");
            }
        }

        private BillFormatException fault(int i, String problem) {
            return new BillFormatException(lineNumber, "field " + (i + 1) + " (" + columns.get(i) + "): " + problem);
        }
    }
}
