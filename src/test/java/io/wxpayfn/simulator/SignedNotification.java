package io.wxpayfn.simulator;

import java.util.Map;

/**
 * One notification exactly as the simulator would POST it: its id, where it goes, the body and the signed
 * headers (Wechatpay-Timestamp is the moment of signing, so post it within five minutes).
 */
public record SignedNotification(String id, String notifyUrl, String body, Map<String, String> headers) {

    public SignedNotification {
        headers = Map.copyOf(headers);
    }
}
