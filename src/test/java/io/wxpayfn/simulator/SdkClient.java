package io.wxpayfn.simulator;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.service.billdownload.BillDownloadServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.refund.RefundService;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The official SDK, configured the way the functions configure it, pointed at a simulator. */
final class SdkClient {

    final WeChatPaySimulator simulator;
    final MerchantCredentials merchant;
    final RSAPublicKeyConfig config;
    final HttpClient httpClient;

    SdkClient(WeChatPaySimulator simulator) {
        this(simulator, Duration.ofSeconds(5));
    }

    SdkClient(WeChatPaySimulator simulator, Duration readTimeout) {
        this(simulator, configFor(simulator.merchant(), simulator.merchant().merchantPrivateKeyPem()), readTimeout);
    }

    SdkClient(WeChatPaySimulator simulator, RSAPublicKeyConfig config, Duration readTimeout) {
        this.simulator = simulator;
        this.merchant = simulator.merchant();
        this.config = config;
        this.httpClient = new DefaultHttpClientBuilder()
                .config(config)
                .okHttpClient(rewritingTo(simulator.baseUrl(), readTimeout))
                .build();
    }

    static RSAPublicKeyConfig configFor(MerchantCredentials m, String privateKeyPem) {
        return new RSAPublicKeyConfig.Builder()
                .merchantId(m.mchid())
                .privateKey(privateKeyPem)
                .merchantSerialNumber(m.merchantSerialNumber())
                .publicKey(m.platformPublicKeyPem())
                .publicKeyId(m.platformPublicKeyId())
                .apiV3Key(m.apiV3Key())
                .build();
    }

    /** Sends every request to the simulator, keeping path and query (the signed part) untouched. */
    static OkHttpClient rewritingTo(String baseUrl, Duration readTimeout) {
        HttpUrl target = HttpUrl.get(baseUrl);
        return new OkHttpClient.Builder()
                .readTimeout(readTimeout)
                .addInterceptor(chain -> chain.proceed(chain.request()
                        .newBuilder()
                        .url(chain.request()
                                .url()
                                .newBuilder()
                                .scheme(target.scheme())
                                .host(target.host())
                                .port(target.port())
                                .build())
                        .build()))
                .build();
    }

    JsapiServiceExtension jsapi() {
        return new JsapiServiceExtension.Builder()
                .config(config)
                .httpClient(httpClient)
                .build();
    }

    RefundService refunds() {
        return new RefundService.Builder().config(config).httpClient(httpClient).build();
    }

    BillDownloadServiceExtension bills() {
        return new BillDownloadServiceExtension.Builder()
                .config(config)
                .httpClient(httpClient)
                .build();
    }

    /** A valid prepay request for {@code user}; tests change the field they are about. */
    PrepayRequest prepayRequest(String outTradeNo, int totalFen, String user, String notifyUrl) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(merchant.appid());
        request.setMchid(merchant.mchid());
        request.setDescription("Simulator test order");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(notifyUrl);
        Amount amount = new Amount();
        amount.setTotal(totalFen);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid(simulator.openidOf(user));
        request.setPayer(payer);
        return request;
    }
}
