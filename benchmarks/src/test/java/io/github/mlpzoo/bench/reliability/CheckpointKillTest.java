package io.github.mlpzoo.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.zoo.Zoo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints (issue 11, deliverable 5): a child JVM saving a model in a loop is killed with SIGKILL at a
 * random moment, three times; the directory must then load, whole, as one of the generations it saved.
 * A truncated params file gives an exception (never a JVM abort); a spoiled magic either fails or loads the
 * intact values; another variant's params are refused and leave the model unchanged.
 */
class CheckpointKillTest {

    @Test
    void killDashNineWhileSavingLeavesTheLastCheckpointLoadable(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ckpt");
        Random rnd = new Random(3);
        for (int round = 0; round < 3; round++) {
            Process child = new ProcessBuilder(javaBin(), "-Xmx512m", "-Dai.djl.offline=true",
                    "-DOPT_OUT_TRACKING=true", "-cp", System.getProperty("java.class.path"),
                    CheckpointWriter.class.getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int lastSaved = 0;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                int target = 2 + rnd.nextInt(4);
                while ((line = out.readLine()) != null) {
                    lastSaved = Integer.parseInt(line.substring("saved ".length()));
                    if (lastSaved >= target) {
                        break;
                    }
                }
                Thread.sleep(rnd.nextInt(15)); // lands mid-save most of the time: each save takes ~10-30 ms
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(lastSaved >= 2, "child saved nothing: is the class path right?");
            int loaded = loadGeneration(dir);
            assertTrue(loaded == lastSaved || loaded == lastSaved + 1,
                    "round " + round + ": saved " + lastSaved + ", loaded generation " + loaded);
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                assertEquals(1, names.stream().filter(n -> n.endsWith(".params")).count(), names.toString());
            }
        }
    }

    @Test
    void truncatedOrSpoiledParamsGiveAnErrorAndWrongVariantChangesNothing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ckpt");
        List<float[]> saved;
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 1)) {
            Zoo.save(model, "mlp", CheckpointWriter.CONFIG, dir);
            saved = snapshot(model);
        }
        Path params = paramsFile(dir);
        byte[] whole = Files.readAllBytes(params);

        Files.write(params, java.util.Arrays.copyOf(whole, whole.length / 2));
        Exception truncated = assertThrows(Exception.class, () -> load(dir));
        System.out.println("truncated params: " + truncated);
        assertNotNull(truncated.getMessage() == null ? truncated.getClass().getName() : truncated.getMessage());
        assertTrue(truncated instanceof IOException || truncated instanceof MalformedModelException
                || truncated instanceof IllegalArgumentException, truncated.toString());

        // another variant's (wider) params into this model: refused, and the model keeps its own values
        Files.write(params, whole);
        Path other = tmp.resolve("other");
        Map<String, String> wide = Map.of("nBlocks", "4", "dBlock", "256");
        try (Model m = Zoo.newModel("mlp", wide, 2)) {
            Zoo.save(m, "mlp", wide, other);
        }
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 1)) {
            List<float[]> before = snapshot(model);
            Exception wrong = assertThrows(Exception.class, () -> model.load(other, "other"));
            System.out.println("wrong-variant load: " + wrong);
            List<float[]> after = snapshot(model);
            for (int i = 0; i < before.size(); i++) {
                assertTrue(java.util.Arrays.equals(before.get(i), after.get(i)), "parameter " + i + " changed");
            }
        }
    }

    /**
     * A known gap (issue 11): DJL 0.29's loader does not check the "DJL@" magic, and a params file whose first
     * four bytes are spoiled loads without an error but with other values. This test pins that behaviour so
     * that the fix (a magic and length check before {@code model.load}, e.g. in Zoo) flips it on purpose.
     */
    @Test
    void spoiledMagicLoadsOtherValuesWithoutAnErrorKnownGap(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ckpt");
        List<float[]> saved;
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 1)) {
            Zoo.save(model, "mlp", CheckpointWriter.CONFIG, dir);
            saved = snapshot(model);
        }
        Path params = paramsFile(dir);
        byte[] spoiled = Files.readAllBytes(params);
        for (int i = 0; i < 4; i++) {
            spoiled[i] ^= (byte) 0x5a; // the "DJL@" magic
        }
        Files.write(params, spoiled);
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 9)) {
            model.load(dir, dir.getFileName().toString());
            List<float[]> got = snapshot(model);
            boolean same = true;
            for (int i = 0; i < saved.size(); i++) {
                same &= java.util.Arrays.equals(saved.get(i), got.get(i));
            }
            assertTrue(!same, "the spoiled-magic gap is fixed: turn this test into assertThrows");
        }
    }

    private static List<float[]> snapshot(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static void load(Path dir) throws IOException, MalformedModelException {
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 9)) {
            model.load(dir, dir.getFileName().toString());
        }
    }

    /** Loads {@code dir} into a fresh model and returns the generation its parameters all equal. */
    static int loadGeneration(Path dir) throws IOException, MalformedModelException {
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 9)) {
            model.load(dir, dir.getFileName().toString());
            Float g = null;
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                NDArray a = p.getValue().getArray();
                float lo = a.min().getFloat();
                float hi = a.max().getFloat();
                assertEquals(lo, hi, "parameter " + p.getKey() + " is not one generation");
                if (g == null) {
                    g = lo;
                }
                assertEquals(g, lo, "parameters from two generations");
            }
            return Math.round(g);
        }
    }

    private static Path paramsFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
