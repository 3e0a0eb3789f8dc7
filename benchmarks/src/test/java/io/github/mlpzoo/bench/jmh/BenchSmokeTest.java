package io.github.mlpzoo.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mlpzoo.bench.ZooCli;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CI smoke check of issue 9's benchmarks: they run, not how fast (one very short iteration, in-process). The
 * timing itself comes from the JMH suite and {@code benchmarks/python/compare.sh} on a quiet machine.
 */
class BenchSmokeTest {

    @Test
    void jmhSuiteRunsOneShortIterationOfInferenceAndTraining() throws Exception {
        Options opt = new OptionsBuilder()
                .include(ModelBench.class.getName() + "\\.(infer|trainStep)$")
                .param("config", "kan")
                .param("threads", Integer.toString(Workload.threads()))
                .param("batch", "16")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        assertEquals(2, results.size(), "expected infer and trainStep results");
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " score " + score);
        }
    }

    @Test
    void zooBenchPrintsAMedianAndAResultLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            code = ZooCli.run("bench", "tabm", "--batch", "4", "--train", "--runs", "3", "--iters", "2", "--warmup", "1",
                    "--seconds", "0.05", "--threads", Integer.toString(Workload.threads()), "--set", "dBlock=16", "--set", "k=2");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("tabm train (batch 4, dBlock=16, k=2)"), out);
        assertTrue(out.matches("(?s).*RESULT impl=zoo name=tabm mode=train batch=4 threads=\\d+ samples_per_s=[0-9.]+ .*runs=3 iters=2 .*"), out);
        assertFalse(out.contains("NaN"), out);
    }

    @Test
    void zooBenchPeakMeasuresMatmulThroughput() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            code = ZooCli.run("bench", "--peak", "--peak-size", "64", "--runs", "1", "--seconds", "0.02",
                    "--threads", Integer.toString(Workload.threads()));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.matches("(?s).*RESULT impl=zoo name=matmul64 mode=peak threads=\\d+ gflops=[0-9.]+ .*"), out);
    }

    @Test
    void unknownNameAndBadRunsAreRefused() {
        assertEquals(2, ZooCli.run("bench"));
        assertEquals(2, ZooCli.run("bench", "no_such_model"));
        assertEquals(2, ZooCli.run("bench", "kan", "--runs", "0"));
    }

    @Test
    void statedConfigurationsMatchTheIssue() {
        assertEquals(256, BenchConfig.of("kan").batch());
        assertEquals("784,64,10", BenchConfig.of("kan").overrides().get("widths"));
        assertEquals(1024, BenchConfig.of("din").batch());
        assertEquals(32, BenchConfig.of("patchtsmixer_etth1").batch());
        assertEquals(8, BenchConfig.of("mixer_s16").batch());
        for (String name : List.of("activator", "scaling_mlp_b6_wi512")) {
            BenchConfig c = BenchConfig.of(name);
            assertEquals(8, c.batch(), name);
            assertEquals(Map.of(), c.overrides(), name + ": the registered (official) default config");
            assertTrue(BenchConfig.STATED.contains(c), name + " is a stated configuration");
        }
        assertEquals(8, BenchConfig.of("poolformer_m36").batch(), "unstated vision variant: batch 8");
        assertEquals(256, BenchConfig.of("mlp").batch(), "unstated tabular variant: batch 256");
    }

    @Test
    void jmhSuiteAndOfficialScriptsListTheStatedConfigurations() throws Exception {
        List<String> stated = BenchConfig.STATED.stream().map(BenchConfig::name).toList();
        Param param = ModelBench.class.getField("config").getAnnotation(Param.class);
        assertEquals(stated, List.of(param.value()), "ModelBench's @Param config");

        Path python = Path.of(System.getProperty("zoo.testdata", "src-test-data")).toAbsolutePath().getParent()
                .resolve("benchmarks").resolve("python");
        String official = Files.readString(python.resolve("bench_official.py"));
        Matcher m = Pattern.compile("(?s)\\nSTATED = \\{(.*?)\\}").matcher(official);
        assertTrue(m.find(), "bench_official.py: STATED");
        Map<String, Integer> py = new LinkedHashMap<>();
        Matcher e = Pattern.compile("\"(\\w+)\": (\\d+)").matcher(m.group(1));
        while (e.find()) {
            py.put(e.group(1), Integer.parseInt(e.group(2)));
        }
        String compare = Files.readString(python.resolve("compare.sh"));
        Matcher c = Pattern.compile("(?s)\\nconfigs=\\((.*?)\\n\\)\\nbatches=\\(([0-9 ]*)\\)").matcher(compare);
        assertTrue(c.find(), "compare.sh: configs and batches");
        List<String> names = new ArrayList<>();
        Matcher q = Pattern.compile("\"(\\w+)\\|").matcher(c.group(1));
        while (q.find()) {
            names.add(q.group(1));
        }
        List<Integer> batches = Arrays.stream(c.group(2).trim().split(" +")).map(Integer::valueOf).toList();
        Matcher j = Pattern.compile("(?s)\\nbatches = \\{(.*?)\\}").matcher(compare);
        assertTrue(j.find(), "compare.sh: the JMH table's batches");
        Map<String, Integer> jmh = new LinkedHashMap<>();
        e = Pattern.compile("\"(\\w+)\": (\\d+)").matcher(j.group(1));
        while (e.find()) {
            jmh.put(e.group(1), Integer.parseInt(e.group(2)));
        }
        assertEquals(stated, List.copyOf(py.keySet()), "bench_official.py STATED");
        assertEquals(stated, names, "compare.sh configs");
        assertEquals(stated, List.copyOf(jmh.keySet()), "compare.sh JMH batches");
        for (int i = 0; i < stated.size(); i++) {
            BenchConfig b = BenchConfig.STATED.get(i);
            assertEquals(b.batch(), py.get(b.name()), "bench_official.py batch of " + b.name());
            assertEquals(b.batch(), batches.get(i), "compare.sh batch of " + b.name());
            assertEquals(b.batch(), jmh.get(b.name()), "compare.sh JMH batch of " + b.name());
        }
    }
}
