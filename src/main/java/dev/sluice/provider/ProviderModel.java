package dev.sluice.provider;

/** A model as a provider lists it: its id (without the provider prefix), creation time and owner. */
public record ProviderModel(String id, long created, String ownedBy) {
}
