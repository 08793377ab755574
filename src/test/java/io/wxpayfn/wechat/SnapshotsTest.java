package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.wechat.pay.java.service.refund.model.Status;
import io.wxpayfn.order.RefundStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

    @Test
    void formatsTimeExpireAsRfc3339InChinaStandardTimeWithSeconds() {
        assertEquals("2026-11-23T11:41:22+08:00", Snapshots.rfc3339(Instant.parse("2026-11-23T03:41:22.789Z")));
        assertEquals("2026-01-01T07:59:59+08:00", Snapshots.rfc3339(Instant.parse("2025-12-31T23:59:59Z")));
    }

    @Test
    void readsWeChatPayTimesWithAnyOffset() {
        assertEquals(Instant.parse("2026-11-23T03:41:22Z"), Snapshots.instantOrNull("2026-11-23T11:41:22+08:00"));
        assertEquals(null, Snapshots.instantOrNull(null));
    }

    @Test
    void mapsEveryRefundStatusOfTheSdk() {
        assertEquals(RefundStatus.SUCCESS, Snapshots.refundStatus(Status.SUCCESS));
        assertEquals(RefundStatus.CLOSED, Snapshots.refundStatus(Status.CLOSED));
        assertEquals(RefundStatus.PROCESSING, Snapshots.refundStatus(Status.PROCESSING));
        assertEquals(RefundStatus.ABNORMAL, Snapshots.refundStatus(Status.ABNORMAL));
    }
}
