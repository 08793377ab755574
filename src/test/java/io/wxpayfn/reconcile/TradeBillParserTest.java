package io.wxpayfn.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TradeBillParserTest {

    private static final String HEADER = String.join(",", TradeBillParser.HEADER);
    private static final String SUMMARY_HEADER = String.join(",", TradeBillParser.SUMMARY_HEADER);

    private final TradeBillParser parser = new TradeBillParser();

    static String payment(String outTradeNo, String yuan) {
        return String.join(
                ",",
                "`2026-11-22 10:15:00",
                "`wxapp0001",
                "`1900000001",
                "`0",
                "`",
                "`4200000001" + outTradeNo,
                "`" + outTradeNo,
                "`openid-1",
                "`JSAPI",
                "`SUCCESS",
                "`OTHERS",
                "`CNY",
                "`" + yuan,
                "`0.00",
                "`0",
                "`0",
                "`0.00",
                "`0.00",
                "`",
                "`",
                "`Tea, green",
                "`",
                "`0.00600",
                "`0.60%",
                "`" + yuan,
                "`0.00",
                "`");
    }

    static String refund(String outTradeNo, String outRefundNo, String yuan) {
        return String.join(
                ",",
                "`2026-11-22 11:00:00",
                "`wxapp0001",
                "`1900000001",
                "`0",
                "`",
                "`4200000001" + outTradeNo,
                "`" + outTradeNo,
                "`openid-1",
                "`JSAPI",
                "`REFUND",
                "`OTHERS",
                "`CNY",
                "`0.00",
                "`0.00",
                "`50300001" + outRefundNo,
                "`" + outRefundNo,
                "`" + yuan,
                "`0.00",
                "`ORIGINAL",
                "`SUCCESS",
                "`Tea",
                "`",
                "`-0.00300",
                "`0.60%",
                "`0.00",
                "`" + yuan,
                "`");
    }

    static String summary(int count, String settlement, String refunds, String orders, String requestedRefunds) {
        return String.join(
                ",",
                "`" + count,
                "`" + settlement,
                "`" + refunds,
                "`0.00",
                "`0.01200",
                "`" + orders,
                "`" + requestedRefunds);
    }

    static String bill(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void readsPaymentsAndRefundsWithAmountsInExactFen() {
        TradeBill bill = parser.parse(bill(
                HEADER,
                payment("WXA001", "12345678.99"),
                payment("WXA002", "0.01"),
                refund("WXA001", "WXA001R01", "0.10"),
                SUMMARY_HEADER,
                summary(3, "12345679.00", "0.10", "12345679.00", "0.10")));

        assertEquals(3, bill.rows().size());
        TradeBillRow first = bill.rows().get(0);
        assertEquals(2, first.lineNumber());
        assertEquals("WXA001", first.outTradeNo());
        assertEquals(1234567899L, first.orderTotal());
        assertEquals(1234567899L, first.settlementTotal());
        assertEquals(Instant.parse("2026-11-22T02:15:00Z"), first.tradeTime());
        assertEquals("Tea, green", first.goodsName(), "a comma inside a text field keeps the columns in place");
        assertEquals(new BigDecimal("0.00600"), first.fee());
        assertNull(first.outRefundNo(), "WeChat writes 0 for no refund");
        assertNull(first.subMchid());
        assertFalse(first.isRefund());
        assertEquals(1L, bill.rows().get(1).orderTotal());

        TradeBillRow refund = bill.rows().get(2);
        assertTrue(refund.isRefund());
        assertEquals("WXA001R01", refund.outRefundNo());
        assertEquals(10L, refund.requestedRefund());
        assertEquals(10L, refund.refundAmount());
        assertEquals("SUCCESS", refund.refundStatus());
        assertEquals(
                new TradeBillSummary(3, 1234567900L, 10, 0, new BigDecimal("0.01200"), 1234567900L, 10),
                bill.summary());
    }

    @Test
    void readsAnEmptyBillOfHeaderAndZeroSummary() {
        TradeBill bill = parser.parse(bill(HEADER, SUMMARY_HEADER, summary(0, "0.00", "0.00", "0.00", "0.00")));

        assertEquals(List.of(), bill.rows());
        assertEquals(0, bill.summary().tradeCount());
        assertEquals(0, bill.summary().orderTotal());
    }

    @Test
    void toleratesByteOrderMarkCrlfAndTrailingBlankLines() {
        String text = "\uFEFF"
                + String.join(
                        "\r\n",
                        HEADER,
                        payment("WXA001", "1.50"),
                        SUMMARY_HEADER,
                        summary(1, "1.50", "0.00", "1.50", "0.00"))
                + "\r\n\r\n";

        TradeBill bill = parser.parse(text);

        assertEquals(150L, bill.rows().get(0).orderTotal());
        assertNull(bill.rows().get(0).feeRateNote());
    }

    @Test
    void rejectsALineWithTheWrongColumnCountNamingIt() {
        String shortLine =
                payment("WXA002", "1.00").substring(0, payment("WXA002", "1.00").lastIndexOf(",`"));

        BillFormatException e = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(
                        HEADER,
                        payment("WXA001", "1.00"),
                        shortLine,
                        SUMMARY_HEADER,
                        summary(2, "2.00", "0.00", "2.00", "0.00"))));

        assertEquals(3, e.lineNumber());
        assertTrue(
                e.getMessage().contains("line 3") && e.getMessage().contains("expected 27 columns, found 26"),
                e.getMessage());
    }

    @Test
    void rejectsAFieldWithoutItsBacktickNamingTheColumn() {
        String line = payment("WXA001", "1.00").replace("`JSAPI", "JSAPI");

        BillFormatException e = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(HEADER, line, SUMMARY_HEADER, summary(1, "1.00", "0.00", "1.00", "0.00"))));

        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().contains("field 9 (交易类型) does not start with a backtick"), e.getMessage());
    }

    @Test
    void rejectsAmountsThatAreNotYuanWithTwoDecimals() {
        for (String bad : List.of("1.234", "abc", "1", "1.5", "-1.00", "1e2", "01.00")) {
            BillFormatException e = assertThrows(
                    BillFormatException.class,
                    () -> parser.parse(bill(
                            HEADER,
                            payment("WXA001", "1.00"),
                            payment("WXA002", bad),
                            SUMMARY_HEADER,
                            summary(2, "2.00", "0.00", "2.00", "0.00"))),
                    bad);

            assertEquals(3, e.lineNumber(), bad);
            assertTrue(e.getMessage().contains("field 13 (应结订单金额): amount '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void rejectsABadHeader() {
        BillFormatException e = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(
                        HEADER.replace("商户订单号", "订单号"), SUMMARY_HEADER, summary(0, "0.00", "0.00", "0.00", "0.00"))));

        assertEquals(1, e.lineNumber());
        assertTrue(e.getMessage().contains("expected the bill header"), e.getMessage());
    }

    @Test
    void rejectsABillWithoutItsSummary() {
        BillFormatException e =
                assertThrows(BillFormatException.class, () -> parser.parse(bill(HEADER, payment("WXA001", "1.00"))));

        assertTrue(e.getMessage().contains("without the summary header"), e.getMessage());
        assertThrows(BillFormatException.class, () -> parser.parse(bill(HEADER, SUMMARY_HEADER)));
        assertThrows(BillFormatException.class, () -> parser.parse(""));
    }

    @Test
    void rejectsASummaryThatDisagreesWithTheLines() {
        BillFormatException e = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(
                        HEADER,
                        payment("WXA001", "1.00"),
                        refund("WXA001", "WXA001R01", "0.50"),
                        SUMMARY_HEADER,
                        summary(2, "1.00", "0.40", "1.00", "0.50"))));

        assertEquals(5, e.lineNumber());
        assertTrue(
                e.getMessage().contains("退款总金额 (refund total, fen) says 40 but the lines add up to 50"),
                e.getMessage());
    }

    @Test
    void rejectsATruncatedBillMissingALineTheSummaryCounts() {
        BillFormatException e = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(
                        HEADER,
                        payment("WXA001", "1.00"),
                        SUMMARY_HEADER,
                        summary(2, "2.00", "0.00", "2.00", "0.00"))));

        assertTrue(e.getMessage().contains("总交易单数 (trade count) says 2 but the lines add up to 1"), e.getMessage());
    }

    @Test
    void rejectsContentAfterTheSummaryAndABadTradeTime() {
        BillFormatException after = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(
                        HEADER,
                        SUMMARY_HEADER,
                        summary(0, "0.00", "0.00", "0.00", "0.00"),
                        payment("WXA001", "1.00"))));
        assertEquals(4, after.lineNumber());

        BillFormatException time = assertThrows(
                BillFormatException.class,
                () -> parser.parse(bill(
                        HEADER,
                        payment("WXA001", "1.00").replace("2026-11-22 10:15:00", "2026-11-22T10:15"),
                        SUMMARY_HEADER,
                        summary(1, "1.00", "0.00", "1.00", "0.00"))));
        assertTrue(time.getMessage().contains("line 2: field 1 (交易时间)"), time.getMessage());
    }
}
