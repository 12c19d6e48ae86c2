package dev.sluice.logs;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The gateway with the request log on for every key, bodies off unless a key turns them on, a small body cap; the
 * embedded store flushes to the OS rather than fsyncing each ledger commit, which keeps the load test quick on a
 * busy machine without changing what is written.
 */
public class RequestLogProfile implements QuarkusTestProfile {

    public static final int MAX_BODY_BYTES = 4096;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sluice.request-log.enabled", "true",
                "sluice.request-log.max-body-bytes", Integer.toString(MAX_BODY_BYTES),
                "sluice.request-log.queue-size", "20000",
                "sluice.store.embedded-sync", "NORMAL");
    }
}
