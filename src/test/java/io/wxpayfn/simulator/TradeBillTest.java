package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.service.billdownload.DigestBillEntity;
import com.wechat.pay.java.service.billdownload.model.BillType;
import com.wechat.pay.java.service.billdownload.model.GetTradeBillRequest;
import com.wechat.pay.java.service.billdownload.model.TarType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TradeBillTest {

    static WeChatPaySimulator sim;
    static SdkClient sdk;
    static LocalDate billDay;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(
                SimulatorOptions.defaults().withClock(SimulatorOptions.clockFromNoonInShanghai()));
        billDay = sim.now().toLocalDate().minusDays(1);
        sdk = new SdkClient(sim);
        String prepayId = sdk.jsapi()
                .prepayWithRequestPayment(
                        sdk.prepayRequest("BILLORDER01", 1234, "carol", "https://merchant.example.com/n"))
                .getPackageVal()
                .substring("prepay_id=".length());
        sim.pay(prepayId);
        sim.setSuccessTime(
                "BILLORDER01",
                billDay.atTime(10, 30).atZone(TransactionBook.SHANGHAI).toOffsetDateTime());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void tradeBillDownloadsAndPassesTheSdkHashCheck() throws IOException {
        String csv = download(null);
        String[] lines = csv.split("\r\n");
        assertEquals(BillWriter.HEADER, lines[0]);
        assertTrue(
                lines[1].startsWith(
                        "`" + billDay + " 10:30:00,`" + sim.merchant().appid()),
                lines[1]);
        assertTrue(lines[1].contains(",`BILLORDER01,") && lines[1].contains(",`12.34,"), lines[1]);
        assertEquals(BillWriter.SUMMARY_HEADER, lines[2]);
        assertTrue(lines[3].startsWith("`1,`12.34,`0.00,"), lines[3]);
    }

    @Test
    void gzipTradeBillDecompressesToTheSameFile() throws IOException {
        assertEquals(download(null), download(TarType.GZIP));
    }

    @Test
    void aDayWithoutTradesHasNoStatement() {
        GetTradeBillRequest request = request(null);
        request.setBillDate(billDay.minusDays(1).toString());
        ServiceException e =
                assertThrows(ServiceException.class, () -> sdk.bills().getTradeBill(request));
        assertEquals("NO_STATEMENT_EXIST", e.getErrorCode());
    }

    private static String download(TarType tarType) throws IOException {
        DigestBillEntity bill = sdk.bills().getTradeBill(request(tarType));
        String text;
        try (InputStream in = bill.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(bill.verifyHash(), "SHA-1 of the uncompressed bill must match");
        return text;
    }

    private static GetTradeBillRequest request(TarType tarType) {
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(billDay.toString());
        request.setBillType(BillType.ALL);
        request.setTarType(tarType);
        return request;
    }
}
