package dev.sluice.catalog;

import java.util.List;

/** A catalog source that cannot be used, with every problem found in it. */
public class CatalogException extends RuntimeException {

    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public CatalogException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
