package io.github.mlpzoo.bench.reliability;

import static io.github.mlpzoo.core.testkit.TestParams.arrays;
import static io.github.mlpzoo.core.testkit.TestParams.same;
import static io.github.mlpzoo.core.testkit.TestParams.snapshot;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.core.zoo.TrainingOnly;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every registered variant, built tiny, refuses through DJL's own {@code Model.load} (the path that bypasses
 * {@link Zoo#load}'s checks) a parameter file that the same variant saved with another configuration: a
 * {@link MalformedModelException} naming both configurations, raised by the model's top block before any parameter
 * is read, so the model is left unchanged. Its own configuration's file loads back equal. The other configuration
 * doubles the first integer tiny override (or else config value) that still builds and changes a parameter shape.
 * A file cut 16 bytes short, which fails in its last parameter after reading all the others, leaves the model
 * unchanged too, down to the array objects (the top block puts the originals back); so does a file with one flipped
 * bit in its last parameter, which DJL alone would load silently: the check refuses it. A file that differs only in training-only
 * settings (dropout, drop path, {@link TrainingOnly} components) loads.
 */
class OtherConfigParamsTest {

    @Test
    void everyVariantRefusesTheParametersOfAnotherConfiguration(@TempDir Path tmp) throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int withTrainingOnly = 0;
        for (Variant<?> v : Zoo.list()) {
            Map<String, String> tiny = TinyConfigs.of(v);
            Map<String, String> other = other(v, tiny);
            if (other == null) {
                failures.add(v.name() + ": no doubled integer override of " + tiny + " changes a parameter shape");
                continue;
            }
            Path dir = tmp.resolve(v.name());
            try (Model saved = Zoo.newModel(v.name(), other, 1)) {
                saved.save(dir, "m");
            }
            try (Model model = Zoo.newModel(v.name(), tiny, 2)) {
                if (!(model.getBlock() instanceof DescribedBlock)) {
                    failures.add(v.name() + ": its top block " + model.getBlock().getClass().getSimpleName()
                            + " is not a DescribedBlock (no all-or-nothing load, no integrity check)");
                }
                List<float[]> before = snapshot(model);
                try {
                    model.load(dir, "m");
                    failures.add(v.name() + ": loaded the parameters saved with " + other);
                } catch (MalformedModelException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("were saved for")) {
                        failures.add(v.name() + ": unclear message: " + e.getMessage());
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(v.name() + ": " + e);
                }
                if (!same(before, snapshot(model))) {
                    failures.add(v.name() + ": the refused load changed parameters");
                }
            }
            // a file cut 16 bytes short (the 8-byte integrity check and 8 bytes of the last parameter) fails in its
            // last parameter, after all the others were read: each is put back
            Path cut = tmp.resolve(v.name() + "-cut");
            try (Model saved = Zoo.newModel(v.name(), tiny, 7)) {
                saved.save(cut, "m");
            }
            Path params = cut.resolve("m-0000.params");
            Files.write(params, Arrays.copyOf(Files.readAllBytes(params), (int) Files.size(params) - 16));
            try (Model model = Zoo.newModel(v.name(), tiny, 8)) {
                List<float[]> before = snapshot(model);
                List<NDArray> objects = arrays(model);
                try {
                    model.load(cut, "m");
                    failures.add(v.name() + ": loaded a truncated file");
                } catch (MalformedModelException | IOException | RuntimeException e) {
                    if (e.getSuppressed().length > 0) {
                        failures.add(v.name() + ": restoring after the truncated file failed: " + e.getSuppressed()[0]);
                    }
                }
                if (!same(before, snapshot(model))) {
                    failures.add(v.name() + ": the failed load of a truncated file changed parameters");
                }
                List<NDArray> after = arrays(model);
                for (int i = 0; i < objects.size(); i++) {
                    if (objects.get(i) != after.get(i)) {
                        failures.add(v.name() + ": parameter " + i + " holds another array after the failed load");
                        break;
                    }
                }
            }
            // the lowest bit of the last float (little-endian, before the 8-byte integrity check): refused, unchanged
            Path flip = tmp.resolve(v.name() + "-flip");
            try (Model saved = Zoo.newModel(v.name(), tiny, 9)) {
                saved.save(flip, "m");
            }
            Path flipParams = flip.resolve("m-0000.params");
            byte[] bytes = Files.readAllBytes(flipParams);
            bytes[bytes.length - 12] ^= 1;
            Files.write(flipParams, bytes);
            try (Model model = Zoo.newModel(v.name(), tiny, 10)) {
                List<float[]> before = snapshot(model);
                try {
                    model.load(flip, "m");
                    failures.add(v.name() + ": loaded a file with a flipped bit");
                } catch (MalformedModelException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("are corrupted")) {
                        failures.add(v.name() + ": unclear message for a flipped bit: " + e.getMessage());
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(v.name() + ": flipped bit: " + e);
                }
                if (!same(before, snapshot(model))) {
                    failures.add(v.name() + ": the refused load of a corrupted file changed parameters");
                }
            }
            // its own configuration's file loads back, through the same path; so does one that differs only in
            // training-only settings (dropout, drop path, TrainingOnly components): the weights are alike
            loadsBack(v, tiny, tiny, tmp.resolve(v.name() + "-own"), failures);
            Map<String, String> dropped = trainingOnlyChanged(v, tiny);
            if (dropped != null) {
                loadsBack(v, dropped, tiny, tmp.resolve(v.name() + "-drop"), failures);
                withTrainingOnly++;
            }
            checked++;
        }
        failures.forEach(f -> System.out.println("FAIL " + f));
        System.out.println("other-configuration params: " + checked + " variants checked, " + withTrainingOnly
                + " also with other training-only settings");
        assertTrue(failures.isEmpty(), failures.size() + " variants: " + failures);
    }

    /**
     * {@code tiny} with one integer value doubled (its own keys first, then the variant's other config keys) such
     * that the model builds and some parameter's shape changes, or null.
     */
    private static Map<String, String> other(Variant<?> v, Map<String, String> tiny) {
        List<String> shapes = shapes(v, tiny);
        Map<String, String> all = new LinkedHashMap<>(new TreeMap<>(tiny)); // in a fixed order: Map.of's varies
        new TreeMap<>(Configs.toStrings(v.defaults())).forEach(all::putIfAbsent);
        for (String key : all.keySet()) {
            String value = all.get(key);
            if (!value.matches("[1-9][0-9]*")) {
                continue;
            }
            Map<String, String> o = new LinkedHashMap<>(tiny);
            o.put(key, Integer.toString(2 * Integer.parseInt(value)));
            try {
                if (!shapes(v, o).equals(shapes)) {
                    return o;
                }
            } catch (IllegalArgumentException e) {
                // an invalid combination (e.g. a patch that no longer divides the image): try the next key
            }
        }
        return null;
    }

    /** Saves a model built with {@code saved}, loads it into one built with {@code config}: it must load equal. */
    private static void loadsBack(Variant<?> v, Map<String, String> saved, Map<String, String> config, Path dir,
            List<String> failures) throws IOException {
        List<float[]> expected;
        try (Model model = Zoo.newModel(v.name(), saved, 5)) {
            expected = snapshot(model);
            model.save(dir, "m");
        }
        try (Model model = Zoo.newModel(v.name(), config, 6)) {
            model.load(dir, "m");
            if (!same(expected, snapshot(model))) {
                failures.add(v.name() + ": parameters saved with " + saved + " did not load equal");
            }
        } catch (MalformedModelException | IOException | RuntimeException e) {
            failures.add(v.name() + ": parameters saved with " + saved + " were refused: " + e);
        }
    }

    /**
     * {@code tiny} with its training-only settings changed, or null if it has none: every {@code *drop*} value set to
     * 0.25 (0.125 where it was 0.25), and each {@link TrainingOnly} number doubled (0.5 if 0), boolean flipped or enum
     * moved to its next constant, where the config accepts the new value.
     */
    private static Map<String, String> trainingOnlyChanged(Variant<?> v, Map<String, String> tiny) {
        Map<String, String> out = new LinkedHashMap<>(tiny);
        Map<String, String> now = new LinkedHashMap<>(Configs.toStrings(v.defaults()));
        now.putAll(tiny);
        List<String> keys = new ArrayList<>();
        collectTrainingOnly(v.defaults(), keys);
        boolean any = false;
        for (String key : now.keySet()) {
            boolean drop = key.toLowerCase(Locale.ROOT).contains("drop");
            if (!drop && !keys.contains(key)) {
                continue;
            }
            String value = now.get(key);
            String changed = drop ? (Float.parseFloat(value) == 0.25f ? "0.125" : "0.25") : another(v.defaults(), key,
                    value);
            Map<String, String> trial = new LinkedHashMap<>(out);
            trial.put(key, changed);
            try {
                v.config(trial);
            } catch (IllegalArgumentException e) {
                continue; // the config refuses this value: leave the key as it is
            }
            out.put(key, changed);
            any = true;
        }
        return any ? out : null;
    }

    /** The names of the {@link TrainingOnly} components of {@code config} and its nested configs. */
    private static void collectTrainingOnly(Record config, List<String> out) {
        for (RecordComponent rc : config.getClass().getRecordComponents()) {
            Object value = Configs.toMap(config).get(rc.getName());
            if (rc.isAnnotationPresent(TrainingOnly.class) && !(value instanceof Record)) {
                out.add(rc.getName());
            } else if (value instanceof Record r) {
                collectTrainingOnly(r, out);
            }
        }
    }

    /** Another value of the same type as {@code value}, the current value of {@code key} (at any nesting depth). */
    private static String another(Record config, String key, String value) {
        for (RecordComponent rc : config.getClass().getRecordComponents()) {
            Object current = Configs.toMap(config).get(rc.getName());
            if (current instanceof Record r) {
                String nested = another(r, key, value);
                if (nested != null) {
                    return nested;
                }
            } else if (rc.getName().equals(key)) {
                Class<?> t = rc.getType();
                if (t == boolean.class) {
                    return Boolean.toString(!Boolean.parseBoolean(value));
                }
                if (t.isEnum()) {
                    Object[] constants = t.getEnumConstants();
                    for (int i = 0; i < constants.length; i++) {
                        if (constants[i].toString().equalsIgnoreCase(value)) {
                            return constants[(i + 1) % constants.length].toString();
                        }
                    }
                }
                double d = Double.parseDouble(value);
                return Double.toString(d == 0 ? 0.5 : 2 * d);
            }
        }
        return null;
    }

    private static List<String> shapes(Variant<?> v, Map<String, String> config) {
        try (Model m = Zoo.newModel(v.name(), config, 1)) {
            List<String> out = new ArrayList<>();
            for (Pair<String, Parameter> p : m.getBlock().getParameters()) {
                out.add(p.getKey() + p.getValue().getArray().getShape());
            }
            return out;
        }
    }
}
