package io.wxpayfn.wechat;

import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByIdRequest;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.PaymentGateway;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayUnavailableException;
import java.util.Optional;

/**
 * {@link PaymentGateway} over wechatpay-java: JSAPI payments and domestic refunds of one merchant, or of a service
 * provider for its sub-merchants. An order with a sub-merchant goes through the SDK's partner services
 * (partnerpayments.jsapi, and RefundService with sub_mchid) under the provider's sp_mchid; one without, through the
 * direct ones.
 */
public final class WeChatPayGateway implements PaymentGateway {

    private static final String PACKAGE_PREFIX = "prepay_id=";

    private final WeChatPayClients clients;
    private final WeChatPaySettings settings;

    public WeChatPayGateway(WeChatPayClients clients) {
        this.clients = clients;
        this.settings = clients.settings();
    }

    @Override
    public PaymentRequest prepay(Order order) {
        String operation = "prepay of " + order.outTradeNo();
        if (order.subMerchant() != null) {
            var answer = WeChatPayErrors.call(
                    operation,
                    () -> clients.partnerJsapi().prepayWithRequestPayment(partnerPrepay(order), order.payerAppid()));
            return paymentRequest(
                    operation,
                    answer.getPackageVal(),
                    answer.getAppId(),
                    answer.getTimeStamp(),
                    answer.getNonceStr(),
                    answer.getSignType(),
                    answer.getPaySign());
        }
        PrepayRequest request = new PrepayRequest();
        request.setAppid(order.appid());
        request.setMchid(settings.mchid());
        request.setDescription(order.description());
        request.setOutTradeNo(order.outTradeNo());
        if (order.expiresAt() != null) {
            request.setTimeExpire(Snapshots.rfc3339(order.expiresAt()));
        }
        request.setNotifyUrl(settings.notifyUrl());
        Amount amount = new Amount();
        amount.setTotal(Math.toIntExact(order.total()));
        amount.setCurrency(Snapshots.CNY);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid(order.openid());
        request.setPayer(payer);
        var answer = WeChatPayErrors.call(operation, () -> clients.jsapi().prepayWithRequestPayment(request));
        return paymentRequest(
                operation,
                answer.getPackageVal(),
                answer.getAppId(),
                answer.getTimeStamp(),
                answer.getNonceStr(),
                answer.getSignType(),
                answer.getPaySign());
    }

    /**
     * The partner prepay: sp_appid/sp_mchid the provider's, sub_mchid the order's sub-merchant, and the payer by the
     * openid of the appid the order is paid in: sub_appid with sub_openid (the sub-merchant's mini-program), or
     * sp_openid alone (the provider's). wx.requestPayment is then signed for that same appid.
     */
    private com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest partnerPrepay(Order order) {
        SubMerchant sub = order.subMerchant();
        var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest();
        request.setSpAppid(order.appid());
        request.setSpMchid(settings.mchid());
        request.setSubMchid(sub.subMchid());
        request.setDescription(order.description());
        request.setOutTradeNo(order.outTradeNo());
        if (order.expiresAt() != null) {
            request.setTimeExpire(Snapshots.rfc3339(order.expiresAt()));
        }
        request.setNotifyUrl(settings.notifyUrl());
        var amount = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Amount();
        amount.setTotal(Math.toIntExact(order.total()));
        amount.setCurrency(Snapshots.CNY);
        request.setAmount(amount);
        var payer = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Payer();
        if (sub.subAppid() != null) {
            request.setSubAppid(sub.subAppid());
            payer.setSubOpenid(order.openid());
        } else {
            payer.setSpOpenid(order.openid());
        }
        request.setPayer(payer);
        return request;
    }

    private static PaymentRequest paymentRequest(
            String operation,
            String packageValue,
            String appId,
            String timeStamp,
            String nonceStr,
            String signType,
            String paySign) {
        if (packageValue == null
                || !packageValue.startsWith(PACKAGE_PREFIX)
                || packageValue.length() == PACKAGE_PREFIX.length()) {
            throw new WeChatPayUnavailableException(operation + " failed: WeChat Pay returned no prepay_id", null);
        }
        return new PaymentRequest(
                packageValue.substring(PACKAGE_PREFIX.length()),
                appId,
                timeStamp,
                nonceStr,
                packageValue,
                signType,
                paySign);
    }

    @Override
    public Optional<PaymentSnapshot> queryPayment(Order order) {
        String operation = "query of payment " + order.outTradeNo();
        if (order.subMerchant() != null) {
            var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.QueryOrderByOutTradeNoRequest();
            request.setSpMchid(settings.mchid());
            request.setSubMchid(order.subMchid());
            request.setOutTradeNo(order.outTradeNo());
            return WeChatPayErrors.callOrEmptyWhenMissing(
                    operation,
                    () -> Snapshots.partnerPayment(clients.partnerJsapi().queryOrderByOutTradeNo(request)));
        }
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(settings.mchid());
        request.setOutTradeNo(order.outTradeNo());
        return WeChatPayErrors.callOrEmptyWhenMissing(
                operation, () -> Snapshots.payment(clients.jsapi().queryOrderByOutTradeNo(request)));
    }

    @Override
    public Optional<PaymentSnapshot> queryPaymentByTransactionId(Order order, String transactionId) {
        String operation = "query of transaction " + transactionId;
        if (order.subMerchant() != null) {
            var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.QueryOrderByIdRequest();
            request.setSpMchid(settings.mchid());
            request.setSubMchid(order.subMchid());
            request.setTransactionId(transactionId);
            return WeChatPayErrors.callOrEmptyWhenMissing(
                    operation,
                    () -> Snapshots.partnerPayment(clients.partnerJsapi().queryOrderById(request)));
        }
        QueryOrderByIdRequest request = new QueryOrderByIdRequest();
        request.setMchid(settings.mchid());
        request.setTransactionId(transactionId);
        return WeChatPayErrors.callOrEmptyWhenMissing(
                operation, () -> Snapshots.payment(clients.jsapi().queryOrderById(request)));
    }

    @Override
    public void close(Order order) {
        String operation = "close of " + order.outTradeNo();
        if (order.subMerchant() != null) {
            var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.CloseOrderRequest();
            request.setSpMchid(settings.mchid());
            request.setSubMchid(order.subMchid());
            request.setOutTradeNo(order.outTradeNo());
            WeChatPayErrors.call(operation, () -> {
                clients.partnerJsapi().closeOrder(request);
                return null;
            });
            return;
        }
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(settings.mchid());
        request.setOutTradeNo(order.outTradeNo());
        WeChatPayErrors.call(operation, () -> {
            clients.jsapi().closeOrder(request);
            return null;
        });
    }

    @Override
    public RefundSnapshot refund(Order order, Refund refund) {
        CreateRequest request = new CreateRequest();
        request.setSubMchid(order.subMchid());
        request.setOutTradeNo(order.outTradeNo());
        request.setOutRefundNo(refund.outRefundNo());
        request.setReason(refund.reason());
        request.setNotifyUrl(settings.refundNotifyUrl());
        AmountReq amount = new AmountReq();
        amount.setRefund(refund.amount());
        amount.setTotal(order.total());
        amount.setCurrency(Snapshots.CNY);
        request.setAmount(amount);
        return WeChatPayErrors.call(
                "refund " + refund.outRefundNo() + " of " + order.outTradeNo(),
                () -> snapshot(order, clients.refunds().create(request)));
    }

    @Override
    public Optional<RefundSnapshot> queryRefund(Order order, String outRefundNo) {
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setSubMchid(order.subMchid());
        request.setOutRefundNo(outRefundNo);
        return WeChatPayErrors.callOrEmptyWhenMissing(
                "query of refund " + outRefundNo,
                () -> snapshot(order, clients.refunds().queryByOutRefundNo(request)));
    }

    /**
     * A refund answer names no merchant; it is this one's (and the order's sub-merchant's), since it answered this
     * merchant's signed request naming that sub_mchid.
     */
    private RefundSnapshot snapshot(Order order, com.wechat.pay.java.service.refund.model.Refund answer) {
        return Snapshots.refund(
                settings.mchid(),
                order.subMchid(),
                answer.getOutTradeNo(),
                answer.getTransactionId(),
                answer.getOutRefundNo(),
                answer.getRefundId(),
                answer.getStatus(),
                answer.getAmount(),
                answer.getSuccessTime());
    }
}
