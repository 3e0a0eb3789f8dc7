package io.github.mlpzoo.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.training.ParameterStore;
import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Config fuzzing (issue 11, deliverable 2): for every registered variant, random override sets on top of its
 * tiny config (negative, zero, one, odd/non-divisible, huge and overflowing numbers; empty, negative and huge
 * lists) either give a valid model (built, initialized and run once on its declared input) or one
 * {@link IllegalArgumentException} whose message is free of native text. Huge configs must be refused before
 * allocating: the test lowers {@code zoo.maxParameters} to 5 million and {@code zoo.maxConfigValue} to 4096
 * so that a config above either must be an error, never gigabytes or millions of blocks.
 */
class ConfigFuzzTest {

    static final int CASES_PER_VARIANT = 6;
    static final long MAX_PARAMETERS = 5_000_000;
    /** Integer overrides above this are refused by the registry (so depth 2^20 is an error, not a hang). */
    static final long MAX_CONFIG_VALUE = 4096;
    /** Inputs larger than this are not run (a valid config with an image of 10^6 x 10^6 is still valid). */
    static final long MAX_INPUT_ELEMENTS = 2_000_000;

    /** variant-prefix:key=value pairs that fail today (reported in issue 11). */
    static final Set<String> KNOWN_GAPS = Set.of();

    private static final String[] INTS = {"-1", "0", "1", "3", "7", "1048576", "2147483647"};
    private static final String[] FLOATS = {"-1", "0", "0.5", "NaN", "1e30"};
    private static final String[] LISTS = {"", "0", "-1,2", "3,5,7", "1048576,1048576", "1,1,1,1,1,1,1,1,1"};

    record Case(String variant, Map<String, String> overrides, String outcome, String detail) {
        boolean ok() {
            return outcome.equals("valid") || outcome.equals("refused");
        }
    }

    @Test
    void randomConfigsGiveAModelOrOneClearError() {
        String old = System.getProperty("zoo.maxParameters");
        String oldValue = System.getProperty("zoo.maxConfigValue");
        System.setProperty("zoo.maxParameters", Long.toString(MAX_PARAMETERS));
        System.setProperty("zoo.maxConfigValue", Long.toString(MAX_CONFIG_VALUE));
        List<Case> cases = new ArrayList<>();
        try {
            Random rnd = new Random(11);
            for (Variant<?> v : Zoo.list()) {
                for (int i = 0; i < CASES_PER_VARIANT; i++) {
                    Map<String, String> o = mutate(v, rnd);
                    if (System.getenv("FUZZ_TRACE") != null) {
                        System.err.println("fuzz " + v.name() + " " + o);
                    }
                    cases.add(run(v, o));
                }
            }
        } finally {
            restore("zoo.maxParameters", old);
            restore("zoo.maxConfigValue", oldValue);
        }
        Map<String, int[]> perVariant = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            int[] n = perVariant.computeIfAbsent(c.variant, k -> new int[3]);
            n[c.outcome.equals("valid") ? 0 : c.outcome.equals("refused") ? 1 : 2]++;
            if (!c.ok() && !known(c)) {
                failures.add(c.variant + " " + c.overrides + " -> " + c.outcome + ": " + c.detail);
            }
        }
        StringBuilder sb = new StringBuilder("config fuzz: ").append(cases.size()).append(" cases over ")
                .append(perVariant.size()).append(" variants (valid/refused/failed)\n");
        perVariant.forEach((k, n) -> sb.append(String.format("  %-24s %d/%d/%d%n", k, n[0], n[1], n[2])));
        System.out.println(sb);
        failures.forEach(f -> System.out.println("FAIL " + f));
        if (System.getenv("MATRIX_VERBOSE") != null) {
            cases.forEach(c -> System.out.println(c.variant + " " + c.overrides + " " + c.outcome + " " + c.detail));
        }
        assertTrue(failures.isEmpty(), failures.size() + " fuzz cases fail: " + failures);
    }

    @Test
    void hugeConfigsAreRefusedBeforeAllocating() {
        long before = Runtime.getRuntime().totalMemory();
        // 4 blocks of 200,000 x 200,000 would be 160 billion parameters (640 GB): refused at the first one
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Zoo.newModel("mlp", Map.of("nBlocks", "4", "dBlock", "200000"), 1).close());
        assertTrue(e.getMessage().contains("mlp: the config needs more than 1,000,000,000 parameters"), e.getMessage());
        IllegalArgumentException depth = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Zoo.create("mixer_s16", Map.of("numBlocks", "2147483647")));
        assertTrue(depth.getMessage().contains("exceeds the size limit 1,048,576"), depth.getMessage());
        assertTrue(Runtime.getRuntime().totalMemory() - before < (1L << 30), "allocated a GB on the Java heap");
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static boolean known(Case c) {
        for (String g : KNOWN_GAPS) {
            String[] p = g.split(":", 2);
            String[] kv = p[1].split("=", 2);
            if (c.variant.startsWith(p[0]) && kv[1].equals(c.overrides.get(kv[0]))) {
                return true;
            }
        }
        return false;
    }

    /** The tiny config with one or two numeric keys set to a hostile value. */
    static Map<String, String> mutate(Variant<?> v, Random rnd) {
        Map<String, String> o = new LinkedHashMap<>(TinyConfigs.of(v));
        List<RecordComponent> numeric = new ArrayList<>();
        for (RecordComponent rc : v.defaults().getClass().getRecordComponents()) {
            Class<?> t = rc.getType();
            if (t == int.class || t == long.class || t == float.class || t == double.class || t == int[].class) {
                numeric.add(rc);
            }
        }
        int k = 1 + rnd.nextInt(2);
        for (int i = 0; i < k && !numeric.isEmpty(); i++) {
            RecordComponent rc = numeric.get(rnd.nextInt(numeric.size()));
            Class<?> t = rc.getType();
            String[] pool = t == int[].class ? LISTS : (t == float.class || t == double.class) ? FLOATS : INTS;
            o.put(rc.getName(), pool[rnd.nextInt(pool.length)]);
        }
        return o;
    }

    private static Case run(Variant<?> v, Map<String, String> o) {
        try {
            Configs.toMap(v.config(o)); // parse + validate
            DataDesc[] descs = v.inputs(o);
            try (Model model = Zoo.newModel(v.name(), o, 3)) {
                long elements = 0;
                for (DataDesc d : descs) {
                    elements += d.getShape().size();
                }
                if (elements > MAX_INPUT_ELEMENTS) {
                    return new Case(v.name(), o, "valid", "built; input of " + elements + " elements not run");
                }
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDList in = new NDList();
                    for (DataDesc d : descs) {
                        in.add(d.getDataType().isInteger() ? m.ones(d.getShape(), d.getDataType())
                                : m.randomNormal(0, 1, d.getShape(), d.getDataType()));
                    }
                    NDList out = model.getBlock().forward(new ParameterStore(m, false), in, false);
                    for (NDArray a : out) {
                        a.toFloatArray(); // materialize
                    }
                    return new Case(v.name(), o, "valid", "");
                } catch (IllegalArgumentException e) {
                    return new Case(v.name(), o, "accepted-then-refused-input", e.getMessage());
                }
            }
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            boolean nativeText = msg.contains("c10") || msg.contains("Exception raised from") || msg.contains(".cpp");
            return new Case(v.name(), o, nativeText || msg.isBlank() ? "unclear-error" : "refused", msg);
        } catch (ai.djl.engine.EngineException e) {
            return new Case(v.name(), o, "native", firstLine(e.getMessage()));
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return new Case(v.name(), o, e.getClass().getSimpleName(), firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
