package dev.sluice.extract;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A link found in the main content: its visible text and its absolute URL. */
@RegisterForReflection
public record PageLink(String text, String url) {
}
