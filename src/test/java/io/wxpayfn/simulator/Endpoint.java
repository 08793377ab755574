package io.wxpayfn.simulator;

/**
 * The two addresses the simulator serves the same WeChat Pay on, one state behind both: the primary
 * domain (api.mch.weixin.qq.com) and the backup one WeChat Pay publishes for failover (备域名, 双域名容灾).
 */
public enum Endpoint {
    PRIMARY,
    BACKUP
}
