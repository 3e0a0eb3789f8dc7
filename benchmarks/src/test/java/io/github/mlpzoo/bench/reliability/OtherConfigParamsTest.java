package io.github.mlpzoo.bench.reliability;

import static io.github.mlpzoo.core.testkit.TestParams.same;
import static io.github.mlpzoo.core.testkit.TestParams.snapshot;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every registered variant, built tiny, refuses through DJL's own {@code Model.load} (the path that bypasses
 * {@link Zoo#load}'s checks) a parameter file that the same variant saved with another configuration: a
 * {@link MalformedModelException} naming both configurations, raised by the model's top block before any parameter
 * is read, so the model is left unchanged. Its own configuration's file loads back equal. The other configuration
 * doubles the first integer tiny override (or else config value) that still builds and changes a parameter shape.
 * A file cut in half, which fails partway through the parameters, leaves the model unchanged too (the top block
 * puts back what was read). A file that differs only in dropout or drop path (training-only: every {@code *drop*} key set to 0.25) loads.
 */
class OtherConfigParamsTest {

    @Test
    void everyVariantRefusesTheParametersOfAnotherConfiguration(@TempDir Path tmp) throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int withDropout = 0;
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
            // a file cut in half fails partway through the parameters: the ones already read are put back
            Path cut = tmp.resolve(v.name() + "-cut");
            try (Model saved = Zoo.newModel(v.name(), tiny, 7)) {
                saved.save(cut, "m");
            }
            Path params = cut.resolve("m-0000.params");
            Files.write(params, Arrays.copyOf(Files.readAllBytes(params), (int) (Files.size(params) / 2)));
            try (Model model = Zoo.newModel(v.name(), tiny, 8)) {
                List<float[]> before = snapshot(model);
                try {
                    model.load(cut, "m");
                    failures.add(v.name() + ": loaded a truncated file");
                } catch (MalformedModelException | IOException | RuntimeException e) {
                    // refused, as it must be; what matters is the state it leaves
                }
                if (!same(before, snapshot(model))) {
                    failures.add(v.name() + ": the failed load of a truncated file changed parameters");
                }
            }
            // its own configuration's file loads back, through the same path; so does one that differs only in a
            // training-only setting (dropout, drop path): the weights are alike
            loadsBack(v, tiny, tiny, tmp.resolve(v.name() + "-own"), failures);
            Map<String, String> dropped = dropped(v, tiny);
            if (dropped != null) {
                loadsBack(v, dropped, tiny, tmp.resolve(v.name() + "-drop"), failures);
                withDropout++;
            }
            checked++;
        }
        failures.forEach(f -> System.out.println("FAIL " + f));
        System.out.println("other-configuration params: " + checked + " variants checked, " + withDropout
                + " also with another dropout or drop path");
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

    /** {@code tiny} with every {@code *drop*} config value set to 0.25 (0.125 where it was 0.25), or null if none. */
    private static Map<String, String> dropped(Variant<?> v, Map<String, String> tiny) {
        Map<String, String> out = new LinkedHashMap<>(tiny);
        boolean any = false;
        for (Map.Entry<String, String> e : Configs.toStrings(v.defaults()).entrySet()) {
            if (e.getKey().toLowerCase(java.util.Locale.ROOT).contains("drop")) {
                String now = tiny.getOrDefault(e.getKey(), e.getValue());
                out.put(e.getKey(), Float.parseFloat(now) == 0.25f ? "0.125" : "0.25");
                any = true;
            }
        }
        return any ? out : null;
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
