package io.wxpayfn.simulator;

import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A simulator with default options and the official SDK pointed at it, one per test class. */
abstract class SimulatorWithSdk {

    static final String NOTIFY = "https://merchant.example.com/pay/notify";
    static WeChatPaySimulator sim;
    static SdkClient sdk;
    static JsapiServiceExtension jsapi;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(SimulatorOptions.defaults());
        sdk = new SdkClient(sim);
        jsapi = sdk.jsapi();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }
}
