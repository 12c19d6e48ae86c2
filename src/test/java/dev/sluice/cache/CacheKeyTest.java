package dev.sluice.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CacheKeyTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text);
    }

    static String key(String body) throws Exception {
        return CacheKey.of("key:k1", "openai/gpt-4o", json(body));
    }

    @Test
    void fieldOrderAtAnyDepthDoesNotMatter() throws Exception {
        String a = key("""
                {"model":"x","temperature":0,"messages":[{"role":"user","content":"Hi"}],
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]}""");
        String b = key("""
                {"tools":[{"function":{"parameters":{"properties":{},"type":"object"},"name":"f"},"type":"function"}],
                 "messages":[{"content":"Hi","role":"user"}],"temperature":0,"model":"x"}""");
        assertEquals(a, b);
        assertEquals(64, a.length());
    }

    @Test
    void theSameNumberWrittenTwoWaysIsTheSameRequest() throws Exception {
        assertEquals(key("{\"temperature\":0,\"max_tokens\":100,\"messages\":[]}"),
                key("{\"temperature\":0.0,\"max_tokens\":1e2,\"messages\":[]}"));
    }

    @Test
    void deliveryAndCallerFieldsDoNotCountButEverythingThatShapesTheAnswerDoes() throws Exception {
        String base = key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0}");
        assertEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"user\":\"u1\",\"metadata\":{\"a\":1},"
                + "\"cache\":{\"ttl\":60},\"model\":\"an-alias\"}"));
        assertNotEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi!\"}],\"temperature\":0}"));
        assertNotEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0.2}"));
        assertNotEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,"
                + "\"max_tokens\":5}"));
        assertNotEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,"
                + "\"response_format\":{\"type\":\"json_object\"}}"));
        assertNotEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,"
                + "\"seed\":7}"));
        assertNotEquals(base, key("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,"
                + "\"tool_choice\":\"none\"}"));
    }

    @Test
    void theServedModelAndTheScopeArePartOfTheKey() throws Exception {
        ObjectNode body = json("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        String a = CacheKey.of("key:k1", "openai/gpt-4o", body);
        assertNotEquals(a, CacheKey.of("key:k2", "openai/gpt-4o", body));
        assertNotEquals(a, CacheKey.of("key:k1", "openai/gpt-4o-mini", body));
        assertNotEquals(a, CacheKey.of("key:k1", "azure/gpt-4o", body));
    }

    @Test
    void textIsQuotedUnambiguously() throws Exception {
        assertNotEquals(key("{\"messages\":[\"a\\\",\\\"b\"]}"), key("{\"messages\":[\"a\",\"b\"]}"));
        assertNotEquals(key("{\"messages\":[\"a\\nb\"]}"), key("{\"messages\":[\"a\\\\nb\"]}"));
    }
}
