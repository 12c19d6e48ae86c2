package dev.sluice.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.sluice.cache.CachePolicy.Decision.BYPASS;
import static dev.sluice.cache.CachePolicy.Decision.OFF;
import static dev.sluice.cache.CachePolicy.Decision.USE;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CachePolicyTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final CacheDirective ASKED = new CacheDirective(CacheDirective.Mode.USE, Duration.ofSeconds(60));

    static ObjectNode body(String fields) throws Exception {
        return (ObjectNode) MAPPER.readTree("{\"messages\":[]" + fields + "}");
    }

    @Test
    void aKeyDefaultCachesOnlyDeterministicRequests() throws Exception {
        assertEquals(USE, CachePolicy.decide(CacheDirective.NONE, true, body(",\"temperature\":0")));
        assertEquals(USE, CachePolicy.decide(CacheDirective.NONE, true, body(",\"temperature\":0.7,\"seed\":1")));
        assertEquals(BYPASS, CachePolicy.decide(CacheDirective.NONE, true, body(",\"temperature\":0.7")));
        // no temperature: the provider's default, which samples
        assertEquals(BYPASS, CachePolicy.decide(CacheDirective.NONE, true, body("")));
    }

    @Test
    void aClientThatAsksGetsTheCacheEvenForSampledRequests() throws Exception {
        assertEquals(USE, CachePolicy.decide(ASKED, false, body(",\"temperature\":0.7")));
        assertEquals(USE, CachePolicy.decide(ASKED, true, body("")));
    }

    @Test
    void noCacheAlwaysBypassesAndAKeyWithoutTheCacheIsLeftAlone() throws Exception {
        assertEquals(BYPASS, CachePolicy.decide(CacheDirective.NO_CACHE, true, body(",\"temperature\":0")));
        assertEquals(BYPASS, CachePolicy.decide(CacheDirective.NO_CACHE, false, body(",\"temperature\":0")));
        assertEquals(OFF, CachePolicy.decide(CacheDirective.NONE, false, body(",\"temperature\":0")));
    }
}
