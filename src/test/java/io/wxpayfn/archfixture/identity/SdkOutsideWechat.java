package io.wxpayfn.archfixture.identity;

import com.google.gson.Gson;
import com.wechat.pay.java.core.Config;
import okhttp3.OkHttpClient;

/** Violates "only wechat/ touches the SDK, OkHttp and Gson". */
public class SdkOutsideWechat {
    public Config config;
    public OkHttpClient http;
    public Gson gson;
}
