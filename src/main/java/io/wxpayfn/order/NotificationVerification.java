package io.wxpayfn.order;

import java.util.function.Function;

/**
 * The port through which a callback checks a WeChat Pay notification (signature, age, encryption) and reads its
 * decrypted resource; the adapter is wechat/NotificationVerifier. A notification that does not check out is refused
 * with {@link NotificationRejectedException}.
 */
public interface NotificationVerification {

    /** A TRANSACTION.* notification; {@code header} looks up a request header by name. */
    VerifiedNotification<PaymentSnapshot> verifyPayment(byte[] body, Function<String, String> header);

    /** A REFUND.* notification; {@code header} looks up a request header by name. */
    VerifiedNotification<RefundSnapshot> verifyRefund(byte[] body, Function<String, String> header);
}
