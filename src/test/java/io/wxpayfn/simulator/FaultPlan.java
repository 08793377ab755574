package io.wxpayfn.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
    private final Set<String> heldRetries = new HashSet<>();
    private final Map<String, ApiFailure> refusedRefunds = new HashMap<>();
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
    public synchronized FaultPlan failNextCallsAfterProcessing(String pathPrefix, int times, ApiFailure failure) {
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

    /**
     * WeChat Pay's retries of a refused notification about {@code key} (out_trade_no or out_refund_no)
     * wait until {@link WeChatPaySimulator#releaseHeldNotifications(String)}, so a test can look at
     * the store between the refused delivery and the retry without racing it.
     */
    public synchronized FaultPlan holdRetries(String key) {
        heldRetries.add(key);
        return this;
    }

    synchronized void stopHoldingRetries(String key) {
        heldRetries.remove(key);
    }

    /**
     * The next application for a refund with this out_refund_no is refused with {@code refusal}
     * (e.g. {@link ApiFailure#notEnough()}) and nothing is booked: WeChat Pay has no such refund
     * afterwards. {@link WeChatPaySimulator#settleRefusedRefund} can then make it exist anyway.
     */
    public synchronized FaultPlan refuseRefund(String outRefundNo, ApiFailure refusal) {
        if (refusal.isHang() || refusal.status() < 400 || refusal.status() >= 500) {
            throw new IllegalArgumentException("a refusal is a 4xx answer with a code");
        }
        refusedRefunds.put(outRefundNo, refusal);
        return this;
    }

    /** Forgets every rule, one-shot or sticky. */
    public synchronized void clear() {
        notificationRules.clear();
        apiRules.clear();
        heldRefunds.clear();
        heldRetries.clear();
        refusedRefunds.clear();
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

    /** The key under which retries of a notification about these keys are held, if any. */
    synchronized Optional<String> retriesHeldUnder(String... keys) {
        for (String key : keys) {
            if (heldRetries.contains(key)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    synchronized Optional<ApiFailure> takeRefundRefusal(String outRefundNo) {
        return Optional.ofNullable(refusedRefunds.remove(outRefundNo));
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
