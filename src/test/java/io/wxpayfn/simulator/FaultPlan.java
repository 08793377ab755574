package io.wxpayfn.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Faults waiting to happen. Notification faults are keyed by out_trade_no or out_refund_no (null =
 * any notification); API faults by path prefix (null = every /v3 path). One-shot rules are used up
 * by the first matching event; sticky rules stay until {@link #clear()}.
 */
public final class FaultPlan {

  private record NotificationRule(String key, NotificationFault fault, boolean sticky) {}

  private static final class ApiRule {
    final String pathPrefix;
    final ApiFailure failure;
    final boolean afterOperation;
    int remaining; // < 0: sticky

    ApiRule(String pathPrefix, ApiFailure failure, boolean afterOperation, int remaining) {
      this.pathPrefix = pathPrefix;
      this.failure = failure;
      this.afterOperation = afterOperation;
      this.remaining = remaining;
    }
  }

  private final List<NotificationRule> notificationRules = new ArrayList<>();
  private final List<ApiRule> apiRules = new ArrayList<>();
  private final Set<String> heldRefunds = new HashSet<>();
  private boolean holdAllRefunds;

  /** The next notification, whatever it is about, suffers {@code fault}. */
  public synchronized FaultPlan onNextNotification(NotificationFault fault) {
    return onNextNotification(null, fault);
  }

  /** The next notification about this out_trade_no or out_refund_no suffers {@code fault}. */
  public synchronized FaultPlan onNextNotification(String key, NotificationFault fault) {
    notificationRules.add(new NotificationRule(key, fault, false));
    return this;
  }

  /** Every notification about {@code key} (null = all) suffers {@code fault} until cleared. */
  public synchronized FaultPlan onEveryNotification(String key, NotificationFault fault) {
    notificationRules.add(new NotificationRule(key, fault, true));
    return this;
  }

  /** The next {@code times} calls to paths starting with {@code pathPrefix} fail without acting. */
  public synchronized FaultPlan failNextCalls(String pathPrefix, int times, ApiFailure failure) {
    apiRules.add(new ApiRule(pathPrefix, failure, false, requirePositive(times)));
    return this;
  }

  /**
   * The next {@code times} calls act (an order is created, a refund applied) and then fail: the
   * "it worked but the answer was lost" case.
   */
  public synchronized FaultPlan failNextCallsAfterProcessing(
      String pathPrefix, int times, ApiFailure failure) {
    apiRules.add(new ApiRule(pathPrefix, failure, true, requirePositive(times)));
    return this;
  }

  /** Every call to paths starting with {@code pathPrefix} (null = all) fails until cleared. */
  public synchronized FaultPlan failAllCalls(String pathPrefix, ApiFailure failure) {
    apiRules.add(new ApiRule(pathPrefix, failure, false, -1));
    return this;
  }

  /**
   * Refunds with this out_refund_no (null = every refund) stay PROCESSING until {@link
   * WeChatPaySimulator#completeRefund} ends them.
   */
  public synchronized FaultPlan holdRefunds(String outRefundNo) {
    if (outRefundNo == null) {
      holdAllRefunds = true;
    } else {
      heldRefunds.add(outRefundNo);
    }
    return this;
  }

  /** Forgets every rule, one-shot or sticky. */
  public synchronized void clear() {
    notificationRules.clear();
    apiRules.clear();
    heldRefunds.clear();
    holdAllRefunds = false;
  }

  synchronized List<NotificationFault> takeNotificationFaults(String... keys) {
    List<NotificationFault> faults = new ArrayList<>();
    Set<NotificationFault.Kind> seen = new HashSet<>();
    for (Iterator<NotificationRule> it = notificationRules.iterator(); it.hasNext(); ) {
      NotificationRule rule = it.next();
      if (matches(rule.key, keys) && seen.add(rule.fault.kind())) {
        faults.add(rule.fault);
        if (!rule.sticky) {
          it.remove();
        }
      }
    }
    return faults;
  }

  synchronized Optional<ApiFailure> takeApiFailure(String path, boolean afterOperation) {
    for (Iterator<ApiRule> it = apiRules.iterator(); it.hasNext(); ) {
      ApiRule rule = it.next();
      if (rule.afterOperation != afterOperation
          || (rule.pathPrefix != null && !path.startsWith(rule.pathPrefix))) {
        continue;
      }
      if (rule.remaining > 0 && --rule.remaining == 0) {
        it.remove();
      }
      return Optional.of(rule.failure);
    }
    return Optional.empty();
  }

  synchronized boolean refundHeld(String outRefundNo) {
    return holdAllRefunds || heldRefunds.contains(outRefundNo);
  }

  private static boolean matches(String ruleKey, String... keys) {
    if (ruleKey == null) {
      return true;
    }
    for (String key : keys) {
      if (ruleKey.equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static int requirePositive(int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    return times;
  }
}
