package org.nmodal.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * An instance of a component's typed configuration (an annotation type) from a map, for code that creates a
 * component without an OSGi framework (benchmarks, tools, embedding): missing keys take the annotation's defaults,
 * as Declarative Services would give them.
 */
public final class TypedConfig {
    private TypedConfig() {}

    /** The configuration; an unknown key or a value of the wrong type is an {@link IllegalArgumentException}. */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> values) {
        for (String key : values.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + ": unknown setting '" + key + "'");
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (name.equals("toString")) {
                return type.getSimpleName() + values;
            }
            if (name.equals("hashCode")) {
                return values.hashCode();
            }
            if (name.equals("equals")) {
                return self == args[0];
            }
            return values.containsKey(name) ? convert(method, values.get(name)) : method.getDefaultValue();
        });
        return type.cast(proxy);
    }

    private static Object convert(Method m, Object v) {
        Class<?> t = m.getReturnType();
        if (t.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n) {
            if (t == int.class) {
                return n.intValue();
            }
            if (t == long.class) {
                return n.longValue();
            }
            if (t == double.class) {
                return n.doubleValue();
            }
            if (t == float.class) {
                return n.floatValue();
            }
        }
        if (t == boolean.class && v instanceof Boolean b) {
            return b;
        }
        if (t == String.class) {
            return String.valueOf(v);
        }
        throw new IllegalArgumentException(m.getDeclaringClass().getSimpleName() + ": '" + m.getName() + "' must be "
                + t.getSimpleName() + ", got " + v);
    }
}
