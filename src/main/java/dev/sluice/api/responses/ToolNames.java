package dev.sluice.api.responses;

import java.util.HashMap;
import java.util.Map;

/**
 * How the functions of {@code namespace} tools are named upstream and back. A chat-completions upstream knows only
 * flat function names, so {@code close_agent} of namespace {@code multi_agent_v1} goes up as
 * {@code multi_agent_v1__close_agent}; a call of that name comes back as {@code name: close_agent,
 * namespace: multi_agent_v1}, exactly as the client declared it.
 */
public final class ToolNames {

    static final String SEPARATOR = "__";

    private final Map<String, String[]> flattened = new HashMap<>();

    /** The upstream name of a function of a namespace (or of a plain function when namespace is null). */
    public String flatten(String namespace, String name) {
        if (namespace == null || namespace.isEmpty()) {
            return name;
        }
        String flat = namespace + SEPARATOR + name;
        flattened.put(flat, new String[]{namespace, name});
        return flat;
    }

    /** The namespace of an upstream function name, or null for a plain function. */
    public String namespaceOf(String upstreamName) {
        String[] parts = flattened.get(upstreamName);
        return parts == null ? null : parts[0];
    }

    /** The client's name of an upstream function name. */
    public String nameOf(String upstreamName) {
        String[] parts = flattened.get(upstreamName);
        return parts == null ? upstreamName : parts[1];
    }
}
