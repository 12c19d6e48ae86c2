package dev.sluice.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A configuration source that turns one setting users give into the settings it implies, Quarkus' own, which users
 * should not have to know. Its ordinal (275) puts it above application.properties and below environment variables
 * and system properties: an operator may still set any implied setting directly.
 */
public abstract class DerivedSettings implements ConfigSourceFactory {

    private final String name;
    private final String setting;
    private final Function<String, Map<String, String>> derive;

    /**
     * @param name    the source's name, as configuration diagnostics show it
     * @param setting the user's setting
     * @param derive  the settings implied by its value, stripped ({@code ""} when it is not set)
     */
    protected DerivedSettings(String name, String setting, Function<String, Map<String, String>> derive) {
        this.name = name;
        this.setting = setting;
        this.derive = derive;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue given = context.getValue(setting);
        String value = given == null || given.getValue() == null ? "" : given.getValue().strip();
        return List.of(new MapBackedConfigSource(name, derive.apply(value), 275) {
        });
    }
}
