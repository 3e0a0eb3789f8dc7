package io.github.mlpzoo.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mlpzoo.bench.ZooCli;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

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
        assertEquals(8, BenchConfig.of("poolformer_m36").batch(), "unstated vision variant: batch 8");
        assertEquals(256, BenchConfig.of("mlp").batch(), "unstated tabular variant: batch 256");
    }
}
