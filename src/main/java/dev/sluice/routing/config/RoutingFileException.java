package dev.sluice.routing.config;

import dev.sluice.secrets.Secrets;

import java.util.List;

/**
 * A routing file that cannot be used as written; lists every problem found, each naming where it is. Anything
 * shaped like a key is masked, since a value may be quoted in a message.
 */
public final class RoutingFileException extends RuntimeException {

    private final List<String> problems;

    public RoutingFileException(List<String> problems) {
        this(problems.stream().map(Secrets::redact).toList(), true);
    }

    private RoutingFileException(List<String> redacted, boolean marker) {
        super(String.join("; ", redacted), null, false, false);
        this.problems = List.copyOf(redacted);
    }

    public RoutingFileException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
