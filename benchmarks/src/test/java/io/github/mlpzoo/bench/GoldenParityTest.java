package io.github.mlpzoo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.mlpzoo.bench.cli.ImportCommand;
import io.github.mlpzoo.bench.cli.ParityCommand;
import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.weights.Weights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Golden parity: for every folder {@code src-test-data/golden/<variant>/} (see the README there), the
 * variant loaded with the official weights through its key map computes the official output, directly,
 * through {@code zoo parity}, and after {@code zoo import} through {@code Criteria.optModelPath}.
 */
class GoldenParityTest {

    /** Max abs error allowed unless the folder's {@code tolerance} file says otherwise. */
    static final double DEFAULT_TOLERANCE = 1e-5;

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    static Stream<String> goldens() throws IOException {
        Path root = root();
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
        }
        names.sort(null);
        assertFalse(names.isEmpty(), "no golden folders under " + root);
        return names.stream();
    }

    /** The golden folders that also hold {@code weights.pth}. */
    static Stream<String> goldensWithPth() throws IOException {
        return goldens().filter(n -> Files.exists(root().resolve(n).resolve("weights.pth")));
    }

    static Path root() {
        String p = System.getProperty("zoo.testdata");
        if (p == null) {
            throw new IllegalStateException("system property zoo.testdata (the repo's src-test-data) is not set");
        }
        return Paths.get(p, "golden");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void officialWeightsGiveTheOfficialOutput(String name) throws IOException {
        Golden g = Golden.of(name);
        try (Model model = Weights.loadVariant(name, g.overrides, g.weights);
                NDManager m = model.getNDManager().newSubManager()) {
            NDList y = Weights.predict(model, Weights.readArrays(g.input, m));
            g.check(y, m, "Weights.predict");
        }
    }

    /** A folder may also hold {@code weights.pth}, the same state_dict as {@code torch.save} wrote it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldensWithPth")
    void torchSaveCheckpointGivesTheSameOutput(String name) throws IOException {
        Golden g = Golden.of(name);
        Path pth = g.weights.resolveSibling("weights.pth");
        try (Model model = Weights.loadVariant(name, g.overrides, pth);
                NDManager m = model.getNDManager().newSubManager()) {
            g.check(Weights.predict(model, Weights.readArrays(g.input, m)), m, "weights.pth");
        }
    }

    @Test
    void mlpWeightsForAnotherConfigAreRefusedWithEveryMisfitAndNothingIsWritten(@TempDir Path tmp) {
        Golden g;
        try {
            g = Golden.of("mlp");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path dir = tmp.resolve("model");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ImportCommand());
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((ex, c, r) -> {
            c.getErr().println(ex.getMessage());
            return 1;
        });
        // the defaults are the California config (2 x 208), not the golden's 2 x 16
        int code = cli.execute("mlp", "--weights", g.weights.toString(), "--out", dir.toString());
        String msg = err.toString();
        assertEquals(1, code, msg);
        assertTrue(msg.contains("0 missing, 0 unexpected, 5 mis-shaped"), msg);
        assertTrue(msg.contains("backbone.blocks.0.0.weight -> 01block_weight: checkpoint has (16, 8),"
                + " the block expects (208, 8)"), msg);
        assertFalse(Files.exists(dir), "no model directory may be written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void parityCommandWritesTheOfficialOutput(String name, @TempDir Path tmp) throws IOException {
        Golden g = Golden.of(name);
        Path out = tmp.resolve(g.expected.getFileName().toString());
        List<String> args = new ArrayList<>(List.of(name, "--weights", g.weights.toString(),
                "--input", g.input.toString(), "--output", out.toString()));
        args.addAll(g.setArgs());
        assertEquals(0, new CommandLine(new ParityCommand()).execute(args.toArray(new String[0])));
        try (NDManager m = NDManager.newBaseManager()) {
            g.check(Weights.readArrays(out, m), m, "zoo parity");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void importedModelDirectoryLoadsThroughCriteriaAndReproducesTheOutput(String name, @TempDir Path tmp)
            throws Exception {
        Golden g = Golden.of(name);
        Path dir = tmp.resolve("model");
        List<String> args = new ArrayList<>(List.of(name, "--weights", g.weights.toString(), "--out",
                dir.toString()));
        args.addAll(g.setArgs());
        assertEquals(0, new CommandLine(new ImportCommand()).execute(args.toArray(new String[0])));
        assertTrue(Files.isRegularFile(dir.resolve("serving.properties")));
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager m = NDManager.newBaseManager()) {
            g.check(predictor.predict(Weights.readArrays(g.input, m)), m, "zoo import + Criteria.optModelPath");
        }
    }

    /** One golden folder. */
    private record Golden(String name, Map<String, String> overrides, Path weights, Path input, Path expected,
            double tolerance) {

        static Golden of(String name) throws IOException {
            Path dir = root().resolve(name);
            Map<String, String> overrides = new LinkedHashMap<>();
            Path config = dir.resolve("config.properties");
            if (Files.exists(config)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(config)) {
                    p.load(r);
                }
                p.stringPropertyNames().stream().sorted().forEach(k -> overrides.put(k, p.getProperty(k).trim()));
            }
            Path tol = dir.resolve("tolerance");
            double tolerance = Files.exists(tol) ? Double.parseDouble(Files.readString(tol).trim()) : DEFAULT_TOLERANCE;
            return new Golden(name, overrides, dir.resolve("weights.safetensors"), either(dir, "input"),
                    either(dir, "output"), tolerance);
        }

        private static Path either(Path dir, String stem) {
            Path npy = dir.resolve(stem + ".npy");
            return Files.exists(npy) ? npy : dir.resolve(stem + ".npz");
        }

        List<String> setArgs() {
            List<String> out = new ArrayList<>();
            overrides.forEach((k, v) -> {
                out.add("--set");
                out.add(k + "=" + v);
            });
            return out;
        }

        void check(NDList got, NDManager m, String how) throws IOException {
            NDList want = Weights.readArrays(expected, m);
            assertEquals(want.size(), got.size(), name + " via " + how + ": number of outputs");
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i).getShape(), got.get(i).getShape(), name + " via " + how + ": output " + i);
                double err = got.get(i).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .sub(want.get(i).toType(ai.djl.ndarray.types.DataType.FLOAT64, false))
                        .abs().max().getDouble();
                assertTrue(err <= tolerance, name + " via " + how + ": output " + i + " max abs error " + err
                        + " > " + tolerance);
                System.out.printf("golden %s via %s: output %d max abs error %.3g%n", name, how, i, err);
            }
        }
    }
}
