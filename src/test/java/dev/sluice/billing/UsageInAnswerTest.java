package dev.sluice.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatChunk;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream always asks its upstream for usage, but the client sees usage only if it asked for it; the usage it
 * sees says what the request cost.
 */
class UsageInAnswerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ChatBody body(String json) throws Exception {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        return new ChatBody(raw, (ObjectNode) JSON.readTree(raw), null, t -> null);
    }

    static ChatChunk chunk(String json) throws Exception {
        return ChatChunk.of(JSON, (ObjectNode) JSON.readTree(json));
    }

    @Test
    void aStreamThatDidNotAskForUsageAsksForItUpstream() throws Exception {
        ChatBody chat = body("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false},"
                + "\"messages\":[]}");
        assertFalse(UsageInAnswer.askForUsage(chat));
        assertTrue(chat.body().path("stream_options").path("include_usage").asBoolean());
        assertFalse(chat.body().path("stream_options").path("include_obfuscation").asBoolean(true));

        ChatBody none = body("{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
        assertFalse(UsageInAnswer.askForUsage(none));
        assertTrue(none.body().path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void aClientThatAskedForUsageKeepsItsRequestAsSent() throws Exception {
        ChatBody chat = body("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[]}");
        assertTrue(UsageInAnswer.askForUsage(chat));
        assertEquals("{\"include_usage\":true}", chat.body().path("stream_options").toString());
    }

    @Test
    void theUsageChunkCarriesTheCostWhenTheClientAskedForIt() throws Exception {
        ChatChunk usage = chunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        UsageInAnswer.relayChunk(usage, true, u -> u.path("prompt_tokens").asLong() * 1_000);
        assertFalse(usage.dropped());
        assertEquals(0.01, usage.json().path("usage").path("cost").asDouble(), 1e-9);

        ChatChunk unpriced = chunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        UsageInAnswer.relayChunk(unpriced, true, null);
        assertFalse(unpriced.dropped());
        assertFalse(unpriced.json().path("usage").has("cost"));
    }

    @Test
    void aClientThatDidNotAskSeesNoUsage() throws Exception {
        ChatChunk usageOnly = chunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        UsageInAnswer.relayChunk(usageOnly, false, u -> 1);
        assertTrue(usageOnly.dropped());

        ChatChunk withChoices = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        UsageInAnswer.relayChunk(withChoices, false, u -> 1);
        assertFalse(withChoices.dropped());
        assertFalse(withChoices.json().has("usage"));
        assertEquals("hi", withChoices.json().path("choices").path(0).path("delta").path("content").asText());

        ChatChunk nullUsage = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}");
        UsageInAnswer.relayChunk(nullUsage, false, u -> 1);
        assertFalse(nullUsage.json().has("usage"));
    }

    @Test
    void aWholeAnswerCarriesItsCost() throws Exception {
        ObjectNode answer = (ObjectNode) JSON.readTree("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}");
        UsageInAnswer.priceAnswer(answer, u -> 2_500_000);
        assertEquals(2.5, answer.path("usage").path("cost").asDouble(), 1e-9);
    }
}
