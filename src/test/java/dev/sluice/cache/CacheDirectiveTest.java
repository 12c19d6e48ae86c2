package dev.sluice.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CacheDirectiveTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static CacheDirective of(String header, String body) throws Exception {
        return CacheDirective.of(header, body == null ? null : MAPPER.readTree(body));
    }

    @Test
    void theHeaderNamesATtlOrRefusesTheCache() throws Exception {
        assertEquals(new CacheDirective(CacheDirective.Mode.USE, Duration.ofSeconds(300)), of("ttl=300", null));
        assertEquals(new CacheDirective(CacheDirective.Mode.USE, Duration.ofSeconds(5)), of(" TTL=5 ", null));
        assertEquals(CacheDirective.Mode.NO_CACHE, of("no-cache", null).mode());
        assertEquals(CacheDirective.Mode.UNSPECIFIED, of(null, null).mode());
    }

    @Test
    void theBodyObjectSaysTheSame() throws Exception {
        assertEquals(Duration.ofSeconds(60), of(null, "{\"ttl\":60}").ttl());
        assertEquals(CacheDirective.Mode.NO_CACHE, of(null, "{\"no_cache\":true}").mode());
        CacheDirective empty = of(null, "{}");
        assertEquals(CacheDirective.Mode.USE, empty.mode());
        assertNull(empty.ttl());
        assertEquals(CacheDirective.Mode.UNSPECIFIED, of(null, "null").mode());
    }

    @Test
    void theHeaderWinsOverTheBody() throws Exception {
        assertEquals(CacheDirective.Mode.NO_CACHE, of("no-cache", "{\"ttl\":60}").mode());
        assertEquals(Duration.ofSeconds(9), of("ttl=9", "{\"no_cache\":true}").ttl());
    }

    @Test
    void malformedDirectivesAreA400NamingWhatIsWrong() {
        for (String header : new String[]{"ttl=0", "ttl=-3", "ttl=abc", "maybe", "ttl=99999999999"}) {
            ApiException e = assertThrows(ApiException.class, () -> of(header, null), header);
            assertEquals(400, e.status());
        }
        ApiException e = assertThrows(ApiException.class, () -> of(null, "{\"ttl\":1.5}"));
        assertEquals("cache.ttl", e.param());
        e = assertThrows(ApiException.class, () -> of(null, "{\"tll\":10}"));
        assertEquals("cache.tll", e.param());
        e = assertThrows(ApiException.class, () -> of(null, "true"));
        assertEquals("cache", e.param());
        e = assertThrows(ApiException.class, () -> of(null, "{\"no_cache\":\"yes\"}"));
        assertEquals("cache.no_cache", e.param());
    }

    @Test
    void theTtlIsCappedAndDefaulted() throws Exception {
        Duration max = Duration.ofHours(24);
        assertEquals(Duration.ofHours(1), of(null, "{}").ttlOr(Duration.ofHours(1), max));
        assertEquals(max, of("ttl=172800", null).ttlOr(Duration.ofHours(1), max));
        assertEquals(Duration.ofSeconds(30), of("ttl=30", null).ttlOr(Duration.ofHours(1), max));
    }
}
