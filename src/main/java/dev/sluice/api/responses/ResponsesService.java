package dev.sluice.api.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.store.ResponseStore;
import dev.sluice.store.StoredResponse;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of the Responses API: responses kept for {@code previous_response_id}, retrieval, deletion and their
 * input items. Each stored response holds its context (the input items of every earlier turn and its own) and the
 * Response object, so the next turn's history is one read whatever the provider; it belongs to the key that made it
 * and expires after {@code sluice.responses.retention}.
 */
@ApplicationScoped
public class ResponsesService {

    private final ResponseStore store;
    private final ObjectMapper mapper;
    private final ResponsesConfig config;

    /** A stored response, read. */
    public record Stored(ObjectNode response, ArrayNode context) {

        /** The items the next turn continues from: this response's context, then its output. */
        public List<JsonNode> history() {
            List<JsonNode> items = new ArrayList<>(context.size() + response.path("output").size());
            context.forEach(items::add);
            response.path("output").forEach(items::add);
            return items;
        }
    }

    @Inject
    public ResponsesService(ResponseStore store, ObjectMapper mapper, ResponsesConfig config) {
        this.store = store;
        this.mapper = mapper;
        this.config = config;
    }

    void purgeExpired(@Observes StartupEvent start, Vertx vertx) {
        vertx.setPeriodic(config.purgeInterval().toMillis(), id -> store.purge(System.currentTimeMillis())
                .subscribe().with(n -> {
                    if (n > 0) {
                        Log.debugf("Deleted %d expired stored responses", n);
                    }
                }, f -> Log.warnf("Expired stored responses could not be deleted: %s", f.getMessage())));
    }

    /** The stored response if it exists, belongs to this key and has not expired. */
    public Uni<Optional<Stored>> find(String id, String keyId) {
        return onCaller(store.find(id, keyId, System.currentTimeMillis()).map(found -> found.map(this::read)));
    }

    /** A 404 in OpenAI's words when the response does not exist (or is another key's, or expired). */
    public static ApiException notFound(String id, String param) {
        return new ApiException(404, ApiException.INVALID_REQUEST, param == null ? null : "previous_response_not_found",
                param, (param == null ? "Response" : "Previous response") + " with id '" + id + "' not found.");
    }

    public Uni<Boolean> delete(String id, String keyId) {
        return onCaller(store.delete(id, keyId, System.currentTimeMillis()));
    }

    /**
     * Keeps a response and the items it was generated from ({@code history} of earlier turns, then this request's
     * input), each item given an id when it has none so that input_items can page through them.
     */
    public Uni<Void> save(String keyId, ObjectNode response, List<JsonNode> history, JsonNode input) {
        ArrayNode context = mapper.createArrayNode();
        history.forEach(context::add);
        int n = 0;
        for (JsonNode item : inputItems(input)) {
            if (item instanceof ObjectNode o && !o.hasNonNull("id")) {
                ObjectNode withId = mapper.createObjectNode();
                withId.put("id", "msg_" + response.path("id").asText().replaceFirst("^resp_", "") + "_" + n);
                withId.setAll(o);
                item = withId;
            }
            context.add(item);
            n++;
        }
        long now = System.currentTimeMillis();
        try {
            return onCaller(store.save(new StoredResponse(response.path("id").asText(), keyId, now,
                    now + config.retention().toMillis(), mapper.writeValueAsString(context),
                    mapper.writeValueAsString(response))));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * The store answers on a worker thread; the request path continues on the event loop that called (the
     * pipeline, its timers and upstream connections are confined to it).
     */
    private static <T> Uni<T> onCaller(Uni<T> work) {
        Context caller = Vertx.currentContext();
        return caller == null ? work : work.emitOn(run -> caller.runOnContext(v -> run.run()));
    }

    /** A request's {@code input} as items: a string is one user message. */
    static List<JsonNode> inputItems(JsonNode input) {
        List<JsonNode> items = new ArrayList<>();
        if (input != null && input.isTextual()) {
            ObjectNode message = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            message.put("type", ResponsesWire.MESSAGE).put("role", "user");
            message.putArray("content").addObject().put("type", ResponsesWire.INPUT_TEXT).put("text", input.asText());
            items.add(message);
        } else if (input != null && input.isArray()) {
            input.forEach(items::add);
        }
        return items;
    }

    private Stored read(StoredResponse row) {
        try {
            return new Stored((ObjectNode) mapper.readTree(row.body()), (ArrayNode) mapper.readTree(row.context()));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("unreadable stored response " + row.id(), e);
        }
    }
}
