package dev.sluice.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.JsonFields;
import dev.sluice.money.Money;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.KeyStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The virtual-key admin API (master key only; the authentication filter refuses virtual keys with 403).
 * A key's secret is returned once, when it is created or rotated; afterwards only its id and last four
 * characters are ever shown.
 */
@Path("/admin/keys")
@Tag(name = "Admin")
public class KeysResource {

    @Inject
    KeyService service;
    @Inject
    KeyStore store;
    @Inject
    ObjectMapper mapper;

    @POST
    @Operation(summary = "Create a virtual key", description = "Body: {name, models?, rpm?, tpm?, max_parallel?, "
            + "credit_usd?, unlimited?, expires_at?, metadata?, log_requests?, log_bodies?, cache?}. The answer carries the key itself, once.")
    public Uni<Response> create(byte[] body) {
        ObjectNode json = JsonFields.object(mapper, body);
        KeyPatch settings = KeyPatch.forCreate(json);
        BigDecimal credit = JsonFields.usd(json, "credit_usd", false);
        long micros = credit == null ? 0 : Money.micros(credit, "credit_usd");
        if (micros < 0) {
            throw ApiException.invalidRequest("credit_usd cannot be negative", "credit_usd");
        }
        return service.create(settings, micros).map(issued -> {
            ObjectNode view = view(issued.record());
            view.put("key", issued.secret());
            return Response.status(201).type(MediaType.APPLICATION_JSON).entity(view).build();
        });
    }

    @GET
    @Blocking
    @Operation(summary = "List virtual keys")
    public Response list() {
        ObjectNode out = mapper.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        // read from the store, so that balances are current rather than as of the last refresh
        store.loadAll().forEach(k -> data.add(view(k)));
        return json(200, out);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Show a virtual key")
    public Uni<Response> get(@PathParam("id") String id) {
        return service.load(id).map(k -> json(200, view(k)));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a virtual key's name, models, limits, expiry or metadata",
            description = "Only the fields present change; null removes a limit, the expiry or the metadata.")
    public Uni<Response> update(@PathParam("id") String id, byte[] body) {
        ObjectNode json = JsonFields.object(mapper, body);
        if (json.has("credit_usd")) {
            throw ApiException.invalidRequest("credit_usd cannot be changed; add credit with POST /admin/keys/"
                    + id + "/credits", "credit_usd");
        }
        return service.update(id, KeyPatch.forUpdate(json)).map(r -> json(200, view(r)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a virtual key", description = "The key stops working on every replica within the "
            + "revocation delay; its ledger and balance are kept.")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return service.revoke(id).map(r -> json(200, view(r)));
    }

    @POST
    @Path("/{id}/credits")
    @Operation(summary = "Add credit to a virtual key", description = "Body: {amount_usd, note?}; recorded in the ledger.")
    public Uni<Response> credit(@PathParam("id") String id, byte[] body) {
        ObjectNode json = JsonFields.object(mapper, body);
        long micros = Money.micros(JsonFields.usd(json, "amount_usd", true), "amount_usd");
        if (micros <= 0) {
            throw ApiException.invalidRequest("amount_usd must be positive", "amount_usd");
        }
        String note = JsonFields.string(json, "note", false, 500);
        return service.credit(id, micros, note).map(balance -> {
            ObjectNode out = mapper.createObjectNode();
            out.put("object", "credit");
            out.put("key_id", id);
            out.put("amount_usd", Money.usd(micros));
            out.put("note", note);
            balance.ifPresent(b -> out.put("balance_usd", Money.usd(b.micros())));
            return json(201, out);
        });
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "Rotate a virtual key", description = "A new secret for the same key (id, balance, limits "
            + "and ledger are kept); the old secret stops working.")
    public Uni<Response> rotate(@PathParam("id") String id) {
        return service.rotate(id).map(issued -> {
            ObjectNode view = view(issued.record());
            view.put("key", issued.secret());
            return json(200, view);
        });
    }

    private ObjectNode view(KeyRecord k) {
        ObjectNode v = mapper.createObjectNode();
        v.put("id", k.id());
        v.put("object", "api_key");
        v.put("name", k.name());
        v.put("key_hint", KeyService.display(k));
        ArrayNode models = v.putArray("models");
        k.models().forEach(models::add);
        putInt(v, "rpm", k.rpm());
        putInt(v, "tpm", k.tpm());
        putInt(v, "max_parallel", k.maxParallel());
        v.put("unlimited", k.unlimited());
        v.put("cache", k.cache() ? "on" : "off");
        v.put("balance_usd", Money.usd(k.balanceMicros()));
        putTime(v, "expires_at", k.expiresAt());
        if (k.metadata() == null) {
            v.putNull("metadata");
        } else {
            try {
                v.set("metadata", mapper.readTree(k.metadata()));
            } catch (IOException e) {
                v.putNull("metadata");
            }
        }
        putFlag(v, "log_requests", k.logRequests());
        putFlag(v, "log_bodies", k.logBodies());
        putTime(v, "created_at", k.createdAt());
        putTime(v, "revoked_at", k.revokedAt());
        v.put("status", k.revoked() ? "revoked" : k.expired(System.currentTimeMillis()) ? "expired" : "active");
        return v;
    }

    /** A per-key override: null when the key follows the global setting. */
    private static void putFlag(ObjectNode v, String field, Boolean value) {
        if (value == null) {
            v.putNull(field);
        } else {
            v.put(field, value);
        }
    }

    private static void putInt(ObjectNode v, String field, Integer value) {
        if (value == null) {
            v.putNull(field);
        } else {
            v.put(field, value);
        }
    }

    private static void putTime(ObjectNode v, String field, Long millis) {
        if (millis == null) {
            v.putNull(field);
        } else {
            v.put(field, Instant.ofEpochMilli(millis).toString());
        }
    }

    private static Response json(int status, Object entity) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(entity).build();
    }
}
