package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.openai.ApiException;
import dev.sluice.provider.SseEvent;
import dev.sluice.provider.UpstreamException;
import dev.sluice.testing.EventStream;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bedrock's form of Anthropic's Messages API, without booting Quarkus: which model ids are Anthropic's, the
 * InvokeModel body made of a client's Messages body, the CountTokens envelope, and the Anthropic events unwrapped
 * from InvokeModelWithResponseStream's {@code chunk} frames.
 */
class BedrockAnthropicTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    final BedrockAnthropic wire = new BedrockAnthropic("bedrock", MAPPER, new BedrockErrors("bedrock", MAPPER),
            Optional.empty());

    @Test
    void anthropicModelIdsProfilesAndArnsAreRecognised() {
        for (String id : new String[]{"anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "global.anthropic.claude-haiku-4-5-20251001-v1:0", "eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
                "apac.anthropic.claude-sonnet-4-20250514-v1:0", "us-gov.anthropic.claude-3-haiku-20240307-v1:0",
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0",
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"}) {
            assertTrue(BedrockAnthropic.isAnthropic(id), id);
        }
        for (String id : new String[]{"amazon.nova-pro-v1:0", "us.amazon.nova-lite-v1:0", "meta.llama3-70b-instruct-v1:0",
                "us.meta.llama4-scout-17b-instruct-v1:0", "mistral.mistral-large-2407-v1:0", "claude-sonnet-4-5",
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
                "my.team.anthropic.claude"}) {
            assertFalse(BedrockAnthropic.isAnthropic(id), id);
        }
    }

    @Test
    void countTokensAsksTheFoundationModelBehindAProfile() {
        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0",
                BedrockAnthropic.foundationModel("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        assertEquals("anthropic.claude-sonnet-4-5-20250929-v1:0",
                BedrockAnthropic.foundationModel("global.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        assertEquals("anthropic.claude-opus-4-1-20250805-v1:0", BedrockAnthropic.foundationModel(
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0"));
        assertEquals("anthropic.claude-3-haiku-20240307-v1:0",
                BedrockAnthropic.foundationModel("anthropic.claude-3-haiku-20240307-v1:0"));
    }

    @Test
    void theInvokeBodyIsTheClientsWithoutModelAndStreamWithBedrocksVersionAndTheBetas() throws Exception {
        String client = "{\"model\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\",\"max_tokens\":1024,\"stream\":true,"
                + "\"temperature\":0.70,\"top_p\":1.0,\"anthropic_version\":\"2023-06-01\","
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Héllo \\u2603 \\ud83d\\ude00\"}],"
                + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]},\"future_field\":[1,2.50,null]}";
        String sent = new String(wire.invokeBody(client.getBytes(StandardCharsets.UTF_8),
                Map.of("anthropic-version", "2023-06-01", "anthropic-beta",
                        "interleaved-thinking-2025-05-14, context-management-2025-06-27")), StandardCharsets.UTF_8);
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\","
                + "\"context-management-2025-06-27\"],\"max_tokens\":1024,\"temperature\":0.70,\"top_p\":1.0,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                // the same text: Jackson writes characters outside the BMP as escaped surrogate pairs
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Héllo ☃ \\uD83D\\uDE00\"}],"
                + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]},\"future_field\":[1,2.50,null]}",
                sent, "numbers as written, text as sent, every unknown field kept in its place");
    }

    @Test
    void withoutABetaHeaderTheBodyHasNoBetaListUnlessItHadOne() {
        String plain = new String(wire.invokeBody("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}".getBytes(
                StandardCharsets.UTF_8), Map.of()), StandardCharsets.UTF_8);
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":5,\"messages\":[]}", plain);
        String own = new String(wire.invokeBody("{\"anthropic_beta\":[\"a\",\"b\"],\"max_tokens\":5}".getBytes(
                StandardCharsets.UTF_8), Map.of("anthropic-beta", "b,c")), StandardCharsets.UTF_8);
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"b\",\"c\",\"a\"],\"max_tokens\":5}",
                own);
        assertThrows(ApiException.class, () -> wire.invokeBody("[1]".getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    @Test
    void anAllowListOfBetasKeepsOnlyThoseItNames() {
        BedrockAnthropic listed = new BedrockAnthropic("bedrock", MAPPER, new BedrockErrors("bedrock", MAPPER),
                Optional.of(Set.of("interleaved-thinking-2025-05-14", "context-1m-2025-08-07")));
        String claudeCode = "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,"
                + "fine-grained-tool-streaming-2025-05-14";
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\"],"
                + "\"max_tokens\":5}", new String(listed.invokeBody("{\"max_tokens\":5}".getBytes(StandardCharsets.UTF_8),
                Map.of("anthropic-beta", claudeCode)), StandardCharsets.UTF_8));
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":5}", new String(listed.invokeBody(
                "{\"max_tokens\":5,\"anthropic_beta\":[\"oauth-2025-04-20\"]}".getBytes(StandardCharsets.UTF_8),
                Map.of("anthropic-beta", "claude-code-20250219")), StandardCharsets.UTF_8), "no list when none is left");
    }

    @Test
    void theAllowListIsReadFromTheProvidersOptions() {
        java.util.function.Function<Map<String, String>, BedrockOptions> read = options -> BedrockOptions.from(
                new dev.sluice.provider.ProviderSettings("bedrock", "bedrock", "https://bedrock-runtime.eu-west-1.amazonaws.com",
                        Optional.empty(), Map.of(), java.util.List.of(), java.time.Duration.ofSeconds(30), options));
        assertEquals(Optional.empty(), read.apply(Map.of("region", "eu-west-1")).anthropicBetas(), "unset: every beta");
        assertEquals(Optional.of(Set.of("interleaved-thinking-2025-05-14", "context-1m-2025-08-07")),
                read.apply(Map.of("region", "eu-west-1", "anthropic-betas",
                        " interleaved-thinking-2025-05-14, context-1m-2025-08-07")).anthropicBetas());
    }

    @Test
    void countTokensCarriesTheInvokeBodyInBase64WithAMaxTokensAboveTheThinkingBudget() throws Exception {
        JsonNode request = MAPPER.readTree(wire.countTokensBody(("{\"model\":\"x\",\"thinking\":{\"type\":\"enabled\","
                + "\"budget_tokens\":2048},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").getBytes(
                StandardCharsets.UTF_8), Map.of("anthropic-beta", "token-counting-2024-11-01")));
        assertEquals(1, request.size());
        String body = new String(Base64.getDecoder().decode(request.path("input").path("invokeModel").path("body")
                .asText()), StandardCharsets.UTF_8);
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"token-counting-2024-11-01\"],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2049}", body);
        JsonNode plain = MAPPER.readTree(wire.countTokensBody("{\"messages\":[]}".getBytes(StandardCharsets.UTF_8),
                Map.of()));
        assertTrue(new String(Base64.getDecoder().decode(plain.at("/input/invokeModel/body").asText()),
                StandardCharsets.UTF_8).endsWith("\"max_tokens\":1}"));
        assertEquals("{\"input_tokens\":2095}", wire.countTokensAnswer((com.fasterxml.jackson.databind.node.ObjectNode)
                MAPPER.readTree("{\"inputTokens\":2095}")).toString());
    }

    @Test
    void aChunkFrameCarriesOneAnthropicEventByteForByte() {
        String event = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi \\u00e9\"}}";
        SseEvent decoded = wire.event(decode(BedrockAnthropicFixtures.chunk(event)));
        assertEquals("content_block_delta", decoded.event());
        assertEquals(event, decoded.text());
        assertEquals("event: content_block_delta\ndata: " + event + "\n\n",
                decoded.frame().toString(StandardCharsets.UTF_8));
        // the type need not come first
        SseEvent late = wire.event(decode(BedrockAnthropicFixtures.chunk("{\"index\":{\"a\":[1]},\"type\":\"ping\"}")));
        assertEquals("ping", late.event());
        assertNull(wire.event(decode(EventStream.event("somethingNew", "{\"x\":1}"))), "other events carry nothing");
    }

    @Test
    void anExceptionFrameIsTheMappedError() {
        UpstreamException e = assertThrows(UpstreamException.class, () -> wire.event(decode(EventStream.exception(
                "modelStreamErrorException", "{\"message\":\"The model stream failed\",\"originalStatusCode\":500}"))));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("The model stream failed"), e.getMessage());
        UpstreamException throttled = assertThrows(UpstreamException.class, () -> wire.event(decode(
                EventStream.exception("throttlingException", "{\"message\":\"Too many tokens\"}"))));
        assertEquals(429, throttled.status());
        assertThrows(UpstreamException.class, () -> wire.event(decode(EventStream.event("chunk", "{\"bytes\":\"%%%\"}"))));
    }

    private static Message decode(byte[] frame) {
        return Message.decode(ByteBuffer.wrap(frame));
    }
}
