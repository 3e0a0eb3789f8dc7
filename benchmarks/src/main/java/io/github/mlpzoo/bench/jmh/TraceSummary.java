package io.github.mlpzoo.bench.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sums a Chrome trace (libtorch profiler output) by op name: count and summed duration of the complete events
 * ({@code "ph": "X"}), inclusive of nested ops, per profiled call. {@code benchmarks/python/bench_official.py
 * --profile} prints the same summary for the official code, so the two lists compare op by op.
 */
final class TraceSummary {

    private TraceSummary() {}

    static List<String> top(Path trace, int calls, int top) throws IOException {
        JsonElement root;
        try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(r);
        }
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        Map<String, double[]> byName = new HashMap<>();
        double total = 0;
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("dur") || !o.has("name") || (o.has("ph") && !"X".equals(o.get("ph").getAsString()))) {
                continue;
            }
            double dur = o.get("dur").getAsDouble();
            double[] acc = byName.computeIfAbsent(o.get("name").getAsString(), k -> new double[2]);
            acc[0]++;
            acc[1] += dur;
            total += dur;
        }
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(byName.entrySet());
        sorted.sort((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]));
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-40s %8s %12s   (per call; inclusive of nested ops; %d ops per call)",
                "op", "count", "ms", Math.round(sorted.stream().mapToDouble(x -> x.getValue()[0]).sum() / calls)));
        for (int i = 0; i < Math.min(top, sorted.size()); i++) {
            double[] v = sorted.get(i).getValue();
            out.add(String.format(Locale.ROOT, "%-40s %8.1f %12.3f", sorted.get(i).getKey(), v[0] / calls, v[1] / calls / 1000));
        }
        return out;
    }
}
