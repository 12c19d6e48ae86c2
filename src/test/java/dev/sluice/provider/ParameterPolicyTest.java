package dev.sluice.provider;

import dev.sluice.openai.ApiException;
import dev.sluice.provider.ParameterPolicy.Content;
import dev.sluice.provider.ParameterPolicy.Treatment;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.sluice.provider.ChatBodies.assertRefused;
import static dev.sluice.provider.ChatBodies.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared checker of the adapters' capability tables, on a small table of its own. */
class ParameterPolicyTest {

    private static final ParameterPolicy POLICY = ParameterPolicy.builder("Acme")
            .mapped("temperature", ParameterPolicy.above(r -> r.temperature(), 1), "Acme takes 0 to 1")
            .refused("logit_bias", ParameterPolicy.nonEmptyObject("logit_bias"), "Acme has no token biasing")
            .mapped("modalities", ParameterPolicy.otherThan("modalities", Set.of("text")),
                    "Acme writes text, not {value}")
            .ignored("seed")
            .refusedContent(Content.AUDIO_INPUT, "Acme cannot hear")
            .build();

    private static void check(String request) {
        POLICY.check("acme-eu", chat(request).view(), chat(request).body());
    }

    @Test
    void requestsWithinTheTableAreLetThrough() {
        check("""
                {"model": "m", "temperature": 1, "logit_bias": {}, "modalities": ["text"], "seed": 3,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
    }

    @Test
    void theFirstRowCrossedIsTheOneNamedWithTheOffendingValue() {
        assertRefused("temperature", "Provider 'acme-eu' cannot honour 'temperature': Acme takes 0 to 1",
                () -> check("""
                        {"model": "m", "temperature": 1.5, "logit_bias": {"1": 2},
                         "messages": [{"role": "user", "content": "Hi"}]}
                        """));
        assertRefused("modalities", "Provider 'acme-eu' cannot honour 'modalities': Acme writes text, not \"audio\"",
                () -> check("""
                        {"model": "m", "modalities": ["text", "audio"], "messages": [{"role": "user", "content": "Hi"}]}
                        """));
    }

    @Test
    void theTableSaysWhatItDoesWithEachParameter() {
        assertEquals(Treatment.MAPPED, POLICY.treatment("temperature"));
        assertEquals(Treatment.REFUSED, POLICY.treatment("logit_bias"));
        assertEquals(Treatment.IGNORED, POLICY.treatment("seed"));
        assertNull(POLICY.treatment("top_k"));
        assertTrue(POLICY.refuses(Content.AUDIO_INPUT));
        assertTrue(POLICY.refuses(Content.TOOL_TYPE), "the refusals every adapter words alike come with the builder");
        assertFalse(POLICY.refuses(Content.IMAGE_TYPE));
    }

    @Test
    void contentRefusalsUseTheTablesReasons() {
        ApiException e = POLICY.refusal("acme-eu", Content.TOOL_TYPE, "tools[0].type", "web_search");
        assertEquals("Provider 'acme-eu' cannot honour 'tools[0].type': only function tools can be sent to Acme",
                e.getMessage());
        assertEquals("tools[0].type", e.param());
        assertThrows(IllegalStateException.class,
                () -> POLICY.refusal("acme-eu", Content.IMAGE_TYPE, "messages[0].content[0]", "image/bmp"),
                "a refusal the table does not declare is a programming error, not a silent 400");
    }
}
