package app;

import java.util.Optional;
import java.util.List;

import config.SettingNames;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainConfigurationPropertiesConfigurer;

/**
 * A {@code camel.*} key Camel Main could not set: Camel's own check ({@code camel.main.autoConfigurationFailFast}, on
 * by default) stops the start on it, before the pipeline's settings are read; said here as the pipeline says a
 * misspelt setting, with the closest option of Camel Main.
 */
final class CamelOptions {

    private CamelOptions() {
    }

    static String problem(PropertyBindingException e) {
        String prefix = e.getOptionPrefix() == null ? "" : e.getOptionPrefix();
        String option = e.getOptionKey() != null ? e.getOptionKey() : e.getPropertyName();
        Optional<String> closest = Optional.empty();
        if (e.getTarget() instanceof MainConfigurationProperties target) {
            // the configurer names them as its setters do (ShutdownTimeout): properties say shutdownTimeout
            List<String> options = new MainConfigurationPropertiesConfigurer().getAllOptions(target).keySet().stream()
                    .map(name -> Character.toLowerCase(name.charAt(0)) + name.substring(1)).toList();
            closest = SettingNames.closest(option, options).map(name -> prefix + name);
        }
        return "Invalid configuration:\n  - " + prefix + option + " is not an option Camel can set"
               + closest.map(name -> "; did you mean " + name + "?").orElse("") + " (" + e.getMessage() + ")";
    }
}
