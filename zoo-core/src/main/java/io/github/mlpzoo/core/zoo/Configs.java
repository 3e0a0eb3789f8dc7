package io.github.mlpzoo.core.zoo;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies {@code key=value} overrides to a config record: every key must name a record component, every
 * value must parse as that component's type, and the record's own constructor then validates the whole.
 *
 * <p>Supported component types: {@code int, long, float, double, boolean, String}, enums (by name, case
 * insensitive), {@code int[]}, {@code float[]} (comma separated), and nested config records, whose keys are set by
 * their own names (a head's config holding its backbone's: {@code dModel=16} reaches the backbone).
 */
public final class Configs {

    private Configs() {}

    /**
     * Returns {@code base} with {@code overrides} applied.
     *
     * @throws IllegalArgumentException naming the key, the value and what was expected, or listing the
     *     valid keys when a key is unknown
     */
    public static <C extends Record> C override(C base, Map<String, String> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return base;
        }
        @SuppressWarnings("unchecked")
        Class<C> type = (Class<C>) base.getClass();
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Object> values = toMap(base);
        Map<String, Map<String, String>> nested = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            RecordComponent rc = find(components, e.getKey());
            if (rc != null && !Record.class.isAssignableFrom(rc.getType())) {
                values.put(rc.getName(), parse(rc, e.getValue()));
                continue;
            }
            String owner = nestedOwner(components, values, e.getKey());
            if (owner == null) {
                throw new IllegalArgumentException(
                        "unknown config key '" + e.getKey() + "' for " + type.getSimpleName()
                                + "; valid keys: " + String.join(", ", toStrings(base).keySet()));
            }
            nested.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
        nested.forEach((owner, o) -> values.put(owner, override((Record) values.get(owner), o)));
        return construct(type, components, values);
    }

    /** The record-typed component whose (flattened) keys include {@code key}, or null. */
    private static String nestedOwner(RecordComponent[] components, Map<String, Object> values, String key) {
        for (RecordComponent rc : components) {
            if (values.get(rc.getName()) instanceof Record r && toStrings(r).containsKey(key)) {
                return rc.getName();
            }
        }
        return null;
    }

    /** The record's components in declaration order, name to value. */
    public static Map<String, Object> toMap(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent rc : config.getClass().getRecordComponents()) {
            try {
                java.lang.reflect.Method accessor = rc.getAccessor();
                accessor.setAccessible(true); // config records need not be public
                out.put(rc.getName(), accessor.invoke(config));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + rc.getName(), e);
            }
        }
        return out;
    }

    /**
     * The record as {@code key=value} strings that {@link #override} reads back to an equal record; the components
     * of a nested config record appear under their own names (so keys must be unique across the nesting).
     */
    public static Map<String, String> toStrings(Record config) {
        Map<String, String> out = new LinkedHashMap<>();
        toMap(config).forEach((k, v) -> {
            if (v instanceof Record r) {
                out.putAll(toStrings(r));
            } else {
                out.put(k, format(v));
            }
        });
        return out;
    }

    /**
     * What identifies the weights a model built from {@code config} has: the record's type and its {@link #toStrings}
     * without the components that act only in training: those named {@code *drop*} (e.g. {@code dropout},
     * {@code dropPath}) and those marked {@link TrainingOnly}, at any nesting depth, as
     * {@code GMlpConfig[imageSize=224, ...]}. Parameters saved by one model load into any other whose config gives the
     * same string ({@code DescribedBlock#describe}).
     */
    public static String describeWeights(Record config) {
        StringBuilder sb = new StringBuilder(config.getClass().getSimpleName()).append('[');
        appendWeights(config, sb);
        return sb.append(']').toString();
    }

    private static void appendWeights(Record config, StringBuilder sb) {
        Map<String, Object> values = toMap(config);
        for (RecordComponent rc : config.getClass().getRecordComponents()) {
            if (rc.getName().toLowerCase(Locale.ROOT).contains("drop") || rc.isAnnotationPresent(TrainingOnly.class)) {
                continue;
            }
            Object v = values.get(rc.getName());
            if (v instanceof Record r) {
                appendWeights(r, sb);
            } else {
                sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ", ").append(rc.getName()).append('=')
                        .append(format(v));
            }
        }
    }

    static String format(Object v) {
        if (v instanceof int[] a) {
            return Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
        if (v instanceof float[] a) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ",").append(a[i]);
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    private static RecordComponent find(RecordComponent[] components, String key) {
        for (RecordComponent rc : components) {
            if (rc.getName().equals(key)) {
                return rc;
            }
        }
        return null;
    }

    private static Object parse(RecordComponent rc, String raw) {
        Class<?> t = rc.getType();
        String v = raw == null ? "" : raw.trim();
        try {
            if (t == int.class || t == Integer.class) {
                return Integer.parseInt(v);
            } else if (t == long.class || t == Long.class) {
                return Long.parseLong(v);
            } else if (t == float.class || t == Float.class) {
                return Float.parseFloat(v);
            } else if (t == double.class || t == Double.class) {
                return Double.parseDouble(v);
            } else if (t == boolean.class || t == Boolean.class) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new NumberFormatException();
                }
                return Boolean.parseBoolean(v);
            } else if (t == String.class) {
                return v;
            } else if (t.isEnum()) {
                for (Object c : t.getEnumConstants()) {
                    if (((Enum<?>) c).name().equalsIgnoreCase(v)) {
                        return c;
                    }
                }
                throw new NumberFormatException();
            } else if (t == int[].class) {
                return v.isEmpty()
                        ? new int[0]
                        : Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            } else if (t == float[].class) {
                String[] parts = v.isEmpty() ? new String[0] : v.split(",");
                float[] out = new float[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    out[i] = Float.parseFloat(parts[i].trim());
                }
                return out;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "config key '" + rc.getName() + "' expects " + describe(t) + "; got '" + raw + "'", e);
        }
        throw new IllegalStateException(
                "config key '" + rc.getName() + "' has unsupported type " + t.getSimpleName());
    }

    private static String describe(Class<?> t) {
        if (t.isEnum()) {
            return "one of " + Arrays.stream(t.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (t == int[].class) {
            return "comma-separated integers";
        }
        if (t == float[].class) {
            return "comma-separated numbers";
        }
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
            return "an integer";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        return "a number";
    }

    private static <C extends Record> C construct(
            Class<C> type, RecordComponent[] components, Map<String, Object> values) {
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = values.get(components[i].getName());
        }
        try {
            Constructor<C> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException(
                        "invalid " + type.getSimpleName() + ": " + iae.getMessage(), iae);
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }
}
