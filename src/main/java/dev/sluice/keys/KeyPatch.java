package dev.sluice.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.JsonFields;
import dev.sluice.store.KeySettings;

import java.util.List;

/**
 * The settings fields of an admin request body ({@code POST} or {@code PATCH /admin/keys}), checked once where
 * they enter and applied later to the key's settings as the database holds them at the moment of the change, so
 * that two edits of different fields both survive.
 */
final class KeyPatch {

    private static final int MAX_NAME = 200;

    private final ObjectNode json;
    private final String name;
    private final List<String> models;
    private final Integer rpm;
    private final Integer tpm;
    private final Integer maxParallel;
    private final Boolean unlimited;
    private final Long expiresAt;
    private final String metadata;
    private final Boolean logRequests;
    private final Boolean logBodies;
    private final Boolean cache;

    private KeyPatch(ObjectNode json, boolean create) {
        this.json = json;
        this.name = json.has("name") || create ? JsonFields.string(json, "name", true, MAX_NAME) : null;
        this.models = JsonFields.strings(json, "models");
        this.rpm = JsonFields.positiveInt(json, "rpm");
        this.tpm = JsonFields.positiveInt(json, "tpm");
        this.maxParallel = JsonFields.positiveInt(json, "max_parallel");
        this.unlimited = json.hasNonNull("unlimited") ? JsonFields.bool(json, "unlimited", false) : null;
        this.expiresAt = JsonFields.instant(json, "expires_at");
        // null (or absent on creation) follows the global request-log setting
        this.logRequests = json.hasNonNull("log_requests") ? JsonFields.bool(json, "log_requests", false) : null;
        this.logBodies = json.hasNonNull("log_bodies") ? JsonFields.bool(json, "log_bodies", false) : null;
        this.cache = cacheSetting(json.get("cache"));
        JsonNode m = json.get("metadata");
        if (m == null || m.isNull()) {
            this.metadata = null;
        } else if (m.isObject()) {
            this.metadata = m.toString();
        } else {
            throw ApiException.invalidRequest("metadata must be a JSON object", "metadata");
        }
    }

    /** {@code "cache": "on" | "off"} (or true / false); null when absent. */
    private static Boolean cacheSetting(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && ("on".equals(value.asText()) || "off".equals(value.asText()))) {
            return "on".equals(value.asText());
        }
        throw ApiException.invalidRequest("cache must be \"on\" or \"off\"", "cache");
    }

    /** The fields of a new key's body (name required). */
    static KeyPatch forCreate(ObjectNode json) {
        return new KeyPatch(json, true);
    }

    /** The fields a PATCH changes (absent fields keep their value; null removes a limit, the expiry or metadata). */
    static KeyPatch forUpdate(ObjectNode json) {
        return new KeyPatch(json, false);
    }

    /** A new key's settings. */
    KeySettings settings() {
        return new KeySettings(name, models, rpm, tpm, maxParallel, Boolean.TRUE.equals(unlimited), expiresAt, metadata,
                logRequests, logBodies, Boolean.TRUE.equals(cache));
    }

    /** The settings of {@code current} with this patch applied. */
    KeySettings applyTo(KeySettings current) {
        return new KeySettings(
                json.has("name") ? name : current.name(),
                json.has("models") ? models : current.models(),
                json.has("rpm") ? rpm : current.rpm(),
                json.has("tpm") ? tpm : current.tpm(),
                json.has("max_parallel") ? maxParallel : current.maxParallel(),
                unlimited != null ? unlimited : current.unlimited(),
                json.has("expires_at") ? expiresAt : current.expiresAt(),
                json.has("metadata") ? metadata : current.metadata(),
                json.has("log_requests") ? logRequests : current.logRequests(),
                json.has("log_bodies") ? logBodies : current.logBodies(),
                cache != null ? cache : current.cache());
    }
}
