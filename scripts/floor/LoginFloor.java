import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The plain-JDK floor of login's cold start, for scripts/bench-coldstart beside the Node.js one: the JDK's own HTTP
 * server and client, jscode2session on WECHAT_API_BASE_URL, an HMAC-SHA256 session token in SessionTokens' format.
 * No framework, no library. Not part of any package.
 */
public final class LoginFloor {

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern OPENID = Pattern.compile("\"openid\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String appid = System.getenv("WECHATPAY_APPID");
        HttpClient client = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1",
                Integer.parseInt(System.getenv("PORT"))), 0);
        server.createContext("/login", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer;
            try {
                Matcher code = CODE.matcher(body);
                code.find();
                String url = System.getenv("WECHAT_API_BASE_URL") + "/sns/jscode2session?appid=" + appid + "&secret="
                        + URLEncoder.encode(System.getenv("WECHAT_APP_SECRET"), StandardCharsets.UTF_8)
                        + "&js_code=" + URLEncoder.encode(code.group(1), StandardCharsets.UTF_8)
                        + "&grant_type=authorization_code";
                String session = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher openid = OPENID.matcher(session);
                openid.find();
                Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
                String payload = b64.encodeToString(("v1|" + appid + "|" + openid.group(1) + "|"
                        + (System.currentTimeMillis() / 1000 + 7200)).getBytes(StandardCharsets.UTF_8));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(System.getenv("SESSION_SECRET").getBytes(StandardCharsets.UTF_8),
                        "HmacSHA256"));
                String token = payload + "." + b64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
                answer = "{\"errcode\":0,\"errmsg\":\"ok\",\"data\":{\"token\":\"" + token + "\",\"openid\":\""
                        + openid.group(1) + "\"}}";
            } catch (Exception e) {
                answer = "{\"errcode\":50001,\"errmsg\":\"" + e.getClass().getSimpleName() + "\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }
}
