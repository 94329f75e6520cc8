package org.nmodal.checks;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Configuration values refused since start (wrong type or range for the PID's metatype), one line each. */
@ProviderType
public interface ConfigurationRefusals {
    /** One line per refused value: PID, key, value and why; the component kept its last good configuration. */
    List<String> refusals();
}
