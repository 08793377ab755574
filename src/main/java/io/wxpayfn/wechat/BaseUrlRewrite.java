package io.wxpayfn.wechat;

import java.io.IOException;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends requests addressed to WeChat Pay's hosts to other origins (a local simulator, a proxy) with path and query
 * untouched: the primary host to the configured base URL and the SDK's backup host to the configured backup one.
 * The SDK hard-codes WeChat Pay's hosts, and its signature covers only method, path, query and body, so this is
 * safe. Requests to any other host (a bill download_url a simulator issued for itself) go where they are addressed.
 */
final class BaseUrlRewrite implements Interceptor {

    private final Map<String, HttpUrl> originsByHost;

    /** @param originsByHost the origin (scheme://host[:port]) each WeChat Pay host is rewritten to */
    BaseUrlRewrite(Map<String, String> originsByHost) {
        this.originsByHost = Map.copyOf(originsByHost.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> HttpUrl.get(e.getValue()))));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl origin = originsByHost.get(request.url().host());
        if (origin == null) {
            return chain.proceed(request);
        }
        HttpUrl target = request.url()
                .newBuilder()
                .scheme(origin.scheme())
                .host(origin.host())
                .port(origin.port())
                .build();
        return chain.proceed(request.newBuilder().url(target).build());
    }
}
