package io.wxpayfn.wechat;

import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends every request to another origin (a local simulator) with path and query untouched. The SDK hard-codes
 * WeChat Pay's host, and its signature covers only method, path, query and body, so this is safe.
 */
final class BaseUrlRewrite implements Interceptor {

    private final HttpUrl origin;

    BaseUrlRewrite(String baseUrl) {
        this.origin = HttpUrl.get(baseUrl);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl target = request.url().newBuilder()
                .scheme(origin.scheme())
                .host(origin.host())
                .port(origin.port())
                .build();
        return chain.proceed(request.newBuilder().url(target).build());
    }
}
