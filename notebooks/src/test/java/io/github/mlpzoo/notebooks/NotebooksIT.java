package io.github.mlpzoo.notebooks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes every notebook of {@code notebooks/} headless, the way a user runs it: Debian's
 * {@code jupyter nbconvert --to notebook --execute} with our kernel ({@link ZooKernel}) registered as kernelspec
 * {@code java} in a private {@code JUPYTER_PATH}. A notebook passes when nbconvert exits 0 (it stops at the first
 * failing cell), every code cell ran, no output is an error, and the notebook shows at least one PNG plot.
 *
 * <p>The notebooks run in {@code <build>/notebook-run/}, where {@code target} links to the build folder, so their
 * {@code %jars target/lib/*.jar} finds the jars this build copied. The executed copies (with outputs) go to
 * {@code <build>/executed/}; {@code -Dnotebooks.update=true} also writes them back over the sources.
 */
class NotebooksIT {

    /** Per cell and per notebook: alone on 2 cores the longest notebook takes ~3 min, beside other jobs ~15. */
    private static final long TIMEOUT_MINUTES = 30;
    private static Path sources;
    private static Path build;
    private static Path runDir;
    private static Path executed;
    private static Map<String, String> env;

    @BeforeAll
    static void prepare() throws IOException, InterruptedException {
        sources = Path.of(System.getProperty("notebooks.dir"));
        build = Path.of(System.getProperty("notebooks.build"));
        Path spec = build.resolve("kernelspec/java/kernel.json");
        assertTrue(Files.isRegularFile(spec), "no kernelspec at " + spec + "; the package phase writes it");
        assertTrue(Files.isDirectory(build.resolve("lib")), "no " + build.resolve("lib") + "; run the package phase");
        checkJupyter();
        Path jupyter = build.resolve("jupyter");
        Files.createDirectories(jupyter.resolve("kernels/java"));
        Files.copy(spec, jupyter.resolve("kernels/java/kernel.json"), StandardCopyOption.REPLACE_EXISTING);
        runDir = build.resolve("notebook-run");
        Files.createDirectories(runDir);
        Path link = runDir.resolve("target");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, build);
        executed = build.resolve("executed");
        Files.createDirectories(executed);
        env = Map.of(
                "JUPYTER_PATH", jupyter.toString(),
                "JUPYTER_DATA_DIR", jupyter.resolve("data").toString(),
                "JUPYTER_RUNTIME_DIR", jupyter.resolve("runtime").toString(),
                "JUPYTER_CONFIG_DIR", jupyter.resolve("config").toString(),
                "JUPYTER_PLATFORM_DIRS", "1");
    }

    private static void checkJupyter() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            // not installed; fall through
        }
        fail("executing the notebooks needs Jupyter's nbconvert with a Python kernel client: on Debian, apt-get "
                + "install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel (.ci/run does); "
                + "or skip with -Dnotebooks.skip=true");
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsAndShowsAPlot() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(sources)) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertNotEquals(0, notebooks.size(), "no notebooks in " + sources);
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            Path out = execute(nb);
            JsonObject doc = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
            assertEquals("java", doc.getAsJsonObject("metadata").getAsJsonObject("kernelspec").get("name")
                    .getAsString(), nb + ": kernelspec");
            int images = 0;
            for (JsonElement c : doc.getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (!"code".equals(cell.get("cell_type").getAsString())) {
                    continue;
                }
                assertTrue(cell.get("execution_count").isJsonPrimitive(), nb + ": a code cell did not run");
                for (JsonElement o : cell.getAsJsonArray("outputs")) {
                    JsonObject output = o.getAsJsonObject();
                    assertNotEquals("error", output.get("output_type").getAsString(), nb + ": " + output);
                    if (output.has("data") && output.getAsJsonObject("data").has("image/png")) {
                        images++;
                    }
                }
            }
            assertTrue(images > 0, nb + " shows no plot (no image/png output)");
            if (Boolean.getBoolean("notebooks.update")) {
                Files.copy(out, nb, StandardCopyOption.REPLACE_EXISTING);
            }
        }));
    }

    /** The harness is not blind: a notebook whose cell throws fails nbconvert, and the error names the cause. */
    @Test
    void aFailingCellFailsTheRun() throws IOException, InterruptedException {
        Path nb = runDir.resolve("failing-cell.ipynb");
        try (var in = NotebooksIT.class.getResourceAsStream("/kernel-fixtures/failing-cell.ipynb")) {
            Files.copy(in, nb, StandardCopyOption.REPLACE_EXISTING);
        }
        Result r = nbconvert(nb);
        assertNotEquals(0, r.exit, "nbconvert passed a notebook whose second cell throws:\n" + r.log);
        assertTrue(r.log.contains("IllegalStateException: planted failure"), "the error is not reported:\n" + r.log);
        assertTrue(!r.log.contains("never reached"), "a cell after the failing one ran:\n" + r.log);
    }

    private static Path execute(Path notebook) throws IOException, InterruptedException {
        Path copy = runDir.resolve(notebook.getFileName());
        Files.copy(notebook, copy, StandardCopyOption.REPLACE_EXISTING);
        long start = System.nanoTime();
        Result r = nbconvert(copy);
        System.out.printf("%s: nbconvert exit %d in %.0f s%n", notebook.getFileName(), r.exit,
                (System.nanoTime() - start) / 1e9);
        if (r.exit != 0) {
            fail(notebook.getFileName() + " failed (nbconvert exit " + r.exit + "):\n" + tail(r.log, 6000));
        }
        return executed.resolve(notebook.getFileName());
    }

    private record Result(int exit, String log) {}

    private static Result nbconvert(Path notebook) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=java",
                "--ExecutePreprocessor.timeout=" + TimeUnit.MINUTES.toSeconds(TIMEOUT_MINUTES),
                "--ExecutePreprocessor.startup_timeout=120",
                "--output-dir", executed.toString(), notebook.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(runDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = executed.resolve(notebook.getFileName() + ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES + 1, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(notebook + ": nbconvert still running after " + TIMEOUT_MINUTES + " minutes");
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
}
