package org.nmodal.console.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.apache.felix.service.command.Descriptor;

/** Usage lines built from the {@link Descriptor} annotations of a command class, so help never drifts from code. */
final class Usage {
    private Usage() {}

    /** {@code nmodal:encode [-e NAME] <modality> <input>  -- description}, or empty for an unknown function. */
    static Optional<String> of(Class<?> commands, String scope, String function) {
        return Arrays.stream(commands.getMethods())
                .filter(m -> m.getName().equals(function) && m.isAnnotationPresent(Descriptor.class))
                .findFirst()
                .map(m -> line(scope, m));
    }

    /** One usage line per described command, sorted by name. */
    static String all(Class<?> commands, String scope) {
        StringBuilder sb = new StringBuilder();
        Arrays.stream(commands.getMethods())
                .filter(m -> m.isAnnotationPresent(Descriptor.class))
                .sorted(Comparator.comparing(Method::getName))
                .forEach(m -> sb.append(line(scope, m)).append('\n'));
        return sb.toString();
    }

    private static String line(String scope, Method m) {
        StringBuilder sb = new StringBuilder(scope).append(':').append(m.getName());
        StringBuilder args = new StringBuilder();
        for (Parameter p : m.getParameters()) {
            org.apache.felix.service.command.Parameter option = find(p, org.apache.felix.service.command.Parameter.class);
            Descriptor d = find(p, Descriptor.class);
            String label = d == null ? p.getName() : d.value().split("[ :,(]")[0];
            if (option != null) {
                boolean flag = p.getType() == boolean.class;
                sb.append(" [").append(option.names()[0]).append(flag ? "" : " " + label.toUpperCase()).append(']');
            } else {
                sb.append(" <").append(label).append('>');
            }
            if (d != null) {
                args.append("\n      ").append(option != null ? option.names()[0] : "<" + label + ">")
                        .append("  ").append(d.value());
            }
        }
        return sb.append("\n    ").append(m.getAnnotation(Descriptor.class).value()).append(args).toString();
    }

    private static <A extends Annotation> A find(Parameter p, Class<A> type) {
        return p.getAnnotation(type);
    }
}
