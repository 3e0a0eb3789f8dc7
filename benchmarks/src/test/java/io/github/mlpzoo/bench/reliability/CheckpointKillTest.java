package io.github.mlpzoo.bench.reliability;

import static io.github.mlpzoo.core.testkit.TestParams.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checkpoints (issue 11, deliverable 5): a child JVM saving a model in a loop is killed with SIGKILL at a
 * random moment, three times; the directory must then load with {@link Zoo#load} (checksum checked), whole, as
 * one of the generations it saved. A truncated, bit-flipped or spoiled-magic params file gives one
 * {@code IOException} naming the file and the problem; another config's params list the mismatched keys; in
 * every case the model is left unchanged.
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
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 1)) {
            Zoo.save(model, "mlp", CheckpointWriter.CONFIG, dir);
        }
        Path params = paramsFile(dir);
        byte[] whole = Files.readAllBytes(params);
        byte[] magic = whole.clone();
        for (int i = 0; i < 4; i++) {
            magic[i] ^= (byte) 0x5a; // the "DJL@" magic, which DJL's own loader skips silently
        }
        byte[] flipped = whole.clone();
        flipped[whole.length / 2] ^= 1;

        String truncated = refused(dir, params, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertTrue(truncated.contains("truncated since it was saved"), truncated);
        assertTrue(refused(dir, params, magic).contains("corrupted since it was saved"));
        assertTrue(refused(dir, params, flipped).contains("corrupted since it was saved"));
        Files.delete(dir.resolve("params.sha256")); // an older directory: the structure is checked instead
        assertTrue(refused(dir, params, java.util.Arrays.copyOf(whole, whole.length / 2)).contains("truncated:"));
        assertTrue(refused(dir, params, magic).contains("not a DJL params file"));

        // another config's (wider) params into this model: the mismatched keys are listed, nothing changes
        Files.write(params, whole);
        Path other = tmp.resolve("other");
        Map<String, String> wide = Map.of("nBlocks", "4", "dBlock", "256");
        try (Model m = Zoo.newModel("mlp", wide, 2)) {
            Zoo.save(m, "mlp", wide, other);
        }
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 1)) {
            List<float[]> before = snapshot(model);
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> Zoo.load(model, other));
            System.out.println("wrong-variant load: " + wrong.getMessage());
            assertTrue(wrong.getMessage().contains("mis-shaped parameters; the model was left unchanged"));
            assertTrue(wrong.getMessage().contains("file (256, "), wrong.getMessage());
            assertSame(before, snapshot(model));
        }
    }

    /** Writes {@code content} as the params, loads: the error names the file, and the model is unchanged. */
    private static String refused(Path dir, Path params, byte[] content) throws IOException {
        Files.write(params, content);
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 9)) {
            List<float[]> before = snapshot(model);
            IOException e = assertThrows(IOException.class, () -> Zoo.load(model, dir));
            System.out.println("refused: " + e.getMessage());
            assertTrue(e.getMessage().startsWith(params.toAbsolutePath().toString()), e.getMessage());
            assertSame(before, snapshot(model));
            return e.getMessage();
        }
    }

    private static void assertSame(List<float[]> before, List<float[]> after) {
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertTrue(java.util.Arrays.equals(before.get(i), after.get(i)), "parameter " + i + " changed");
        }
    }

    /**
     * Loads {@code dir} into a fresh model with {@link Zoo#load} (checksum checked) and returns the generation
     * its parameters all equal.
     */
    static int loadGeneration(Path dir) throws IOException {
        try (Model model = Zoo.newModel("mlp", CheckpointWriter.CONFIG, 9)) {
            Zoo.load(model, dir);
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
