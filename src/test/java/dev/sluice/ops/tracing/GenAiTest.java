package dev.sluice.ops.tracing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The GenAI attribute readers and the tracing switch, without booting Quarkus. */
class GenAiTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text);
    }

    @Test
    void providerKindsMapToTheConventionsSystemNames() {
        assertEquals("openai", GenAi.system("openai"));
        assertEquals("anthropic", GenAi.system("anthropic"));
        assertEquals("az.ai.openai", GenAi.system("azure"));
        assertEquals("gcp.gemini", GenAi.system("gemini"));
        assertEquals("aws.bedrock", GenAi.system("bedrock"));
        assertEquals("unknown", GenAi.system(null));
    }

    @Test
    void finishReasonsModelAndTokensAreReadFromCompletionsAndChunks() throws Exception {
        ObjectNode completion = json("{\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"finish_reason\":\"stop\"},"
                + "{\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}");
        assertEquals(List.of("stop", "length"), GenAi.finishReasons(completion));
        assertEquals("gpt-4o-2024-08-06", GenAi.responseModel(completion));
        assertEquals(9, GenAi.tokens(completion.get("usage"), "prompt_tokens"));
        assertEquals(-1, GenAi.tokens(completion.get("usage"), "reasoning_tokens"));

        ObjectNode chunk = json("{\"model\":\"\",\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}");
        assertEquals(List.of(), GenAi.finishReasons(chunk));
        assertNull(GenAi.responseModel(chunk), "an empty model name is no model name");
        assertEquals(List.of(), GenAi.finishReasons(json("{\"object\":\"list\"}")));
    }

    @Test
    void capturedTextIsCappedWithoutSplittingACharacter() {
        assertEquals("abc", GenAi.capped("abcdef", 3));
        assertEquals("ab", GenAi.capped("ab", 3));
        assertEquals("a", GenAi.capped("a\uD83D\uDE00b", 2), "a surrogate pair is kept whole or dropped");
        assertNull(GenAi.capped(null, 3));
    }

    @Test
    void onlyAPagesHostIsNamedNeverItsCredentialsPathOrQuery() {
        assertEquals("example.com", GenAi.host("https://user:secret@example.com:8443/a/b?token=x"));
        assertNull(GenAi.host("http://user@evil.com@127.0.0.1/"));
        assertNull(GenAi.host("not a url"));
    }

    @Test
    void anEndpointSwitchesTheSdkOnAndItsAbsenceKeepsItOff() {
        assertEquals(Map.of("quarkus.otel.sdk.disabled", "true"), TracingConfigSource.derive(""));
        Map<String, String> on = TracingConfigSource.derive("http://collector:4317");
        assertEquals("false", on.get("quarkus.otel.sdk.disabled"));
        assertEquals("http://collector:4317", on.get("quarkus.otel.exporter.otlp.traces.endpoint"));
        assertFalse(on.containsKey("quarkus.otel.enabled"), "a build-time switch would be ignored at run time");
    }
}
