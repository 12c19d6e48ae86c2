package dev.sluice.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What every object of one answer repeats, the whole {@code chat.completion} as each of its chunks: its id, when it
 * was created (Unix seconds) and the model that answered, as the provider names them.
 */
record AnswerIdentity(String id, long created, String model) {

    /** The same identity with what the provider told later; a null or empty value keeps the current one. */
    AnswerIdentity told(String newId, String newModel) {
        return new AnswerIdentity(newId == null || newId.isEmpty() ? id : newId, created,
                newModel == null || newModel.isEmpty() ? model : newModel);
    }

    /** A new object of the given type ({@code chat.completion}, {@code chat.completion.chunk}) with this identity. */
    ObjectNode object(JsonNodeFactory json, String type) {
        ObjectNode node = json.objectNode();
        node.put("id", id);
        node.put("object", type);
        node.put("created", created);
        node.put("model", model);
        return node;
    }
}
