package io.github.mlpzoo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CLI's contract: clear one-line errors with non-zero exits, and machine-readable facts. */
class ZooCliTest {

    /** Exit code, stdout and stderr of one CLI run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ZooCli.run(args);
            System.out.flush();
            System.err.flush();
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertOneLineError(Run r, String mustContain) {
        assertNotEquals(0, r.code(), "exit code");
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
        assertTrue(err.startsWith("zoo: "), err);
        assertTrue(err.contains(mustContain), "'" + mustContain + "' not in: " + err);
    }

    @Test
    void unknownModelSuggestsCloseNames() {
        Run r = run("train", "nosuchmodel", "--dataset", "california");
        assertOneLineError(r, "unknown model 'nosuchmodel'");
        Run typo = run("info", "mpl");
        assertOneLineError(typo, "did you mean mlp");
    }

    @Test
    void badConfigValueIsOneLine() {
        Run r = run("train", "mlp", "--dataset", "california", "--set", "depth=-1");
        assertOneLineError(r, "depth");
        Run neg = run("train", "mlp", "--dataset", "california", "--set", "nBlocks=-1");
        assertOneLineError(neg, "nBlocks");
    }

    @Test
    void missingDataPathIsOneLine() {
        Run r = run("train", "mlp", "--dataset", "california", "--data", "/no/such/dir");
        assertOneLineError(r, "/no/such/dir");
    }

    @Test
    void unknownDatasetAndOptionAreOneLine() {
        assertOneLineError(run("train", "mlp", "--dataset", "nosuchdata"), "unknown dataset 'nosuchdata'");
        assertOneLineError(run("train", "mlp", "--dataset", "california", "--bogus"), "--bogus");
    }

    @Test
    void negativeThreadCountIsOneLine() {
        assertOneLineError(run("train", "mlp", "--dataset", "california", "--threads", "-2"), "--threads must be >= 1");
    }

    @Test
    void seedsRunOneAfterAnotherAndSummarize(@TempDir Path tmp) throws IOException {
        Run r = run("train", "mlp", "--dataset", "california", "--epochs", "1", "--seeds", "3,4", "--no-progress",
                "--set", "nBlocks=1", "--set", "dBlock=8", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(tmp.resolve("s3/report.json")) && Files.exists(tmp.resolve("s4/report.json")), r.out());
        JsonObject summary = JsonParser.parseString(Files.readString(tmp.resolve("summary.json"))).getAsJsonObject();
        double a = JsonParser.parseString(Files.readString(tmp.resolve("s3/report.json"))).getAsJsonObject()
                .get("value").getAsDouble();
        double b = JsonParser.parseString(Files.readString(tmp.resolve("s4/report.json"))).getAsJsonObject()
                .get("value").getAsDouble();
        assertNotEquals(a, b, "two seeds gave the same figure");
        assertEquals((a + b) / 2, summary.get("mean").getAsDouble(), 1e-12);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), summary.get("std").getAsDouble(), 1e-12);
        assertTrue(r.out().contains("mean ± sd of 2 seeds"), r.out());
        assertOneLineError(run("train", "mlp", "--dataset", "california", "--seed", "1", "--seeds", "2,3"),
                "--seed or --seeds");
        assertOneLineError(run("train", "mlp", "--dataset", "california", "--seeds", "2,2"), "repeats a seed");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run r = run("train", "nosuchmodel", "--dataset", "california", "--verbose");
        assertNotEquals(0, r.code());
        assertTrue(r.err().lines().count() > 1, r.err());
    }

    @Test
    void listAndInfoJsonCarryTheFacts() {
        Run list = run("list", "--json");
        assertEquals(0, list.code(), list.err());
        JsonArray all = JsonUtils.GSON.fromJson(list.out(), JsonArray.class);
        assertTrue(all.size() >= 1);
        for (var e : all) {
            JsonObject o = e.getAsJsonObject();
            for (String key : new String[] {"name", "params", "macs", "inputShape", "paper", "officialRepo"}) {
                assertTrue(o.has(key), key + " missing in " + o);
            }
        }
        Run info = run("info", "mlp", "--json");
        assertEquals(0, info.code(), info.err());
        JsonObject mlp = JsonUtils.GSON.fromJson(info.out(), JsonObject.class);
        assertEquals("mlp", mlp.get("name").getAsString());
        // TabM paper's California MLP: 8->208->208->1
        assertEquals(8 * 208 + 208 + 208 * 208 + 208 + 208 + 1, mlp.get("params").getAsLong());
        assertEquals(8 * 208 + 208 * 208 + 208, mlp.get("macs").getAsLong());
    }
}
