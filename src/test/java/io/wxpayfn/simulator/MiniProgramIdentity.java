package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mini-program side of WeChat: {@code wx.login()} codes and their exchange at
 * {@code /sns/jscode2session}. Codes are one-time and expire after five minutes; a user's openid is
 * derived from the user name and appid, so it is stable across restarts.
 */
final class MiniProgramIdentity {

  static final Duration CODE_LIFETIME = Duration.ofMinutes(5);

  private record IssuedCode(String openid, Instant expiresAt) {}

  private final String appid;
  private final String appSecret;
  private final Clock clock;
  private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
  private final Set<String> knownOpenids = ConcurrentHashMap.newKeySet();

  MiniProgramIdentity(String appid, String appSecret, Clock clock) {
    this.appid = appid;
    this.appSecret = appSecret;
    this.clock = clock;
  }

  /** 28 characters starting with 'o', like real openids; a pure function of appid and user name. */
  String openidOf(String userName) {
    byte[] digest = SimCrypto.sha256(appid + "/" + userName);
    String openid = "o" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
    knownOpenids.add(openid);
    return openid;
  }

  String loginCode(String userName) {
    String code = SimCrypto.randomAlnum(32);
    codes.put(code, new IssuedCode(openidOf(userName), clock.instant().plus(CODE_LIFETIME)));
    return code;
  }

  /** Real WeChat checks that an openid belongs to the appid; here: it was derived for this appid. */
  boolean knows(String openid) {
    return knownOpenids.contains(openid);
  }

  /** The JSON body jscode2session answers, with HTTP 200 whatever happened. */
  ObjectNode exchange(Map<String, String> query) {
    ObjectNode answer = WireFormat.JSON.createObjectNode();
    if (!appid.equals(query.get("appid"))) {
      return error(answer, 40013, "invalid appid");
    }
    if (!appSecret.equals(query.get("secret"))) {
      return error(answer, 40125, "invalid appsecret");
    }
    if (!"authorization_code".equals(query.get("grant_type"))) {
      return error(answer, 40002, "invalid grant_type");
    }
    String code = query.get("js_code");
    IssuedCode issued = code == null ? null : codes.remove(code); // one use, even when expired
    if (issued == null || clock.instant().isAfter(issued.expiresAt())) {
      return error(answer, 40029, "invalid code");
    }
    answer.put("session_key", SimCrypto.randomBase64(16));
    answer.put("openid", issued.openid());
    return answer;
  }

  private static ObjectNode error(ObjectNode answer, int errcode, String errmsg) {
    answer.put("errcode", errcode);
    answer.put("errmsg", errmsg + ", rid: " + SimCrypto.randomHex(24).toLowerCase());
    return answer;
  }
}
