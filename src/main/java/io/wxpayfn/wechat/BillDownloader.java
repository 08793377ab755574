package io.wxpayfn.wechat;

import com.wechat.pay.java.service.billdownload.DigestBillEntity;
import com.wechat.pay.java.service.billdownload.model.BillType;
import com.wechat.pay.java.service.billdownload.model.GetTradeBillRequest;
import com.wechat.pay.java.service.billdownload.model.TarType;
import io.wxpayfn.order.WeChatPayUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/** Downloads WeChat Pay trade bills through the SDK, which checks the file's hash over the uncompressed bytes. */
public final class BillDownloader {

    private final WeChatPayClients clients;

    public BillDownloader(WeChatPayClients clients) {
        this.clients = clients;
    }

    /**
     * The trade bill (all trades and refunds) of one day as UTF-8 CSV text: a direct merchant's, or a service
     * provider's bill of one sub-merchant.
     *
     * @param subMchid the sub-merchant whose trades the bill lists (sub_mchid), or null for a direct merchant
     * @param gzip ask WeChat Pay for the compressed file (smaller transfer; the text returned is the same)
     * @throws io.wxpayfn.order.WeChatPayRejectedException e.g. NO_STATEMENT_EXIST when the bill is not ready
     * @throws WeChatPayUnavailableException on failure, or when the file does not match its announced hash
     */
    public String tradeBill(LocalDate billDate, String subMchid, boolean gzip) {
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(billDate.toString());
        request.setSubMchid(subMchid);
        request.setBillType(BillType.ALL);
        if (gzip) {
            request.setTarType(TarType.GZIP);
        }
        String operation =
                "download of the trade bill of " + billDate + (subMchid == null ? "" : " of sub-merchant " + subMchid);
        return WeChatPayErrors.call(operation, () -> {
            DigestBillEntity bill = clients.bills().getTradeBill(request);
            byte[] content = readAll(bill.getInputStream());
            if (!bill.verifyHash()) {
                throw new WeChatPayUnavailableException(
                        operation + " failed: the file does not match the hash WeChat Pay announced", null);
            }
            return new String(content, StandardCharsets.UTF_8);
        });
    }

    private static byte[] readAll(InputStream stream) {
        if (stream == null) {
            throw new UncheckedIOException(new IOException("empty bill download"));
        }
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
