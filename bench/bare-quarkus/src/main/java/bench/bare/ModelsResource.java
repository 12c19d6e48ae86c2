package bench.bare;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The one resource of the start-up floor: {@code GET /v1/models}, the request bench/startup.sh waits for, answered
 * with a small JSON list written by Jackson, so the bare app starts the same HTTP and JSON layers Sluice does.
 */
@Path("/v1/models")
public class ModelsResource {

    /** One entry of the list. */
    public record Model(String id, String object, String owned_by) {
    }

    /** The list, in OpenAI's shape. */
    public record Models(String object, List<Model> data) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Models list() {
        return new Models("list", List.of(new Model("gpt-4o", "model", "bench")));
    }
}
