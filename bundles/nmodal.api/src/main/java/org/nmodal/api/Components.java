package org.nmodal.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Every nmodal component running now, with its state. */
@ProviderType
public interface Components {
    /** The components, sorted by kind and name. */
    List<ComponentInfo> list();

    /** What could not become a component, one line each (e.g. a file in the load folder that is not a bundle). */
    default List<String> problems() {
        return List.of();
    }
}
