package io.wxpayfn.wechat;

import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
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
import io.wxpayfn.order.WeChatPayUnavailableException;
import java.util.Optional;

/** {@link PaymentGateway} over wechatpay-java: JSAPI payments and domestic refunds of one merchant. */
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

        String operation = "prepay of " + order.outTradeNo();
        PrepayWithRequestPaymentResponse answer =
                WeChatPayErrors.call(operation, () -> clients.jsapi().prepayWithRequestPayment(request));
        String packageValue = answer.getPackageVal();
        if (packageValue == null || !packageValue.startsWith(PACKAGE_PREFIX)
                || packageValue.length() == PACKAGE_PREFIX.length()) {
            throw new WeChatPayUnavailableException(operation + " failed: WeChat Pay returned no prepay_id", null);
        }
        return new PaymentRequest(packageValue.substring(PACKAGE_PREFIX.length()), answer.getAppId(),
                answer.getTimeStamp(), answer.getNonceStr(), packageValue, answer.getSignType(), answer.getPaySign());
    }

    @Override
    public Optional<PaymentSnapshot> queryPayment(String outTradeNo) {
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(settings.mchid());
        request.setOutTradeNo(outTradeNo);
        return WeChatPayErrors.callOrEmptyWhenMissing("query of payment " + outTradeNo,
                () -> Snapshots.payment(clients.jsapi().queryOrderByOutTradeNo(request)));
    }

    @Override
    public void close(String outTradeNo) {
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(settings.mchid());
        request.setOutTradeNo(outTradeNo);
        WeChatPayErrors.call("close of " + outTradeNo, () -> {
            clients.jsapi().closeOrder(request);
            return null;
        });
    }

    @Override
    public RefundSnapshot refund(Order order, Refund refund) {
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(order.outTradeNo());
        request.setOutRefundNo(refund.outRefundNo());
        request.setReason(refund.reason());
        request.setNotifyUrl(settings.refundNotifyUrl());
        AmountReq amount = new AmountReq();
        amount.setRefund(refund.amount());
        amount.setTotal(order.total());
        amount.setCurrency(Snapshots.CNY);
        request.setAmount(amount);
        return WeChatPayErrors.call("refund " + refund.outRefundNo() + " of " + order.outTradeNo(),
                () -> snapshot(clients.refunds().create(request)));
    }

    @Override
    public Optional<RefundSnapshot> queryRefund(String outRefundNo) {
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setOutRefundNo(outRefundNo);
        return WeChatPayErrors.callOrEmptyWhenMissing("query of refund " + outRefundNo,
                () -> snapshot(clients.refunds().queryByOutRefundNo(request)));
    }

    /** A refund answer names no merchant; it is this one's, since it answered this merchant's signed request. */
    private RefundSnapshot snapshot(com.wechat.pay.java.service.refund.model.Refund answer) {
        return Snapshots.refund(settings.mchid(), answer.getOutTradeNo(), answer.getTransactionId(),
                answer.getOutRefundNo(), answer.getRefundId(), answer.getStatus(), answer.getAmount(),
                answer.getSuccessTime());
    }
}
