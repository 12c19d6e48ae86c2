package dev.sluice.routing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelLabelsTest {

    @Test
    void onlyServedOrDeclaredModelsGetTheirOwnLabelUpToTheCap() {
        ModelLabels labels = new ModelLabels(3);
        labels.declare("smart");
        assertEquals("other", labels.label("openai/made-up", false), "refused: not served");
        assertEquals("openai/gpt-4o", labels.label("openai/gpt-4o", true));
        assertEquals("openai/gpt-4o", labels.label("openai/gpt-4o", false), "known once served");
        assertEquals("smart", labels.label("smart", false));
        assertEquals("groq/llama", labels.label("groq/llama", true));
        assertEquals("other", labels.label("groq/another", true), "over the cap");
        assertEquals("other", labels.label(null, true));
    }
}
