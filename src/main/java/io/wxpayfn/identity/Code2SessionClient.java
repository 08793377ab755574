package io.wxpayfn.identity;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * WeChat's jscode2session. It answers JSON labelled text/plain, so the body is taken as a String and parsed here.
 * The base URL is WECHAT_API_BASE_URL (see application.properties).
 */
@RegisterRestClient(configKey = "wechat-api")
@Path("/sns/jscode2session")
public interface Code2SessionClient {

    @GET
    String jscode2session(
            @QueryParam("appid") String appid,
            @QueryParam("secret") String secret,
            @QueryParam("js_code") String jsCode,
            @QueryParam("grant_type") String grantType);
}
