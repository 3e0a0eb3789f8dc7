package io.github.mlpzoo.bench.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code --set key=value} (or {@code --recipe key=value}) options into an ordered map. */
final class SetOptions {

    private SetOptions() {}

    static Map<String, String> parse(List<String> sets) {
        return parse(sets, "--set");
    }

    /** As {@link #parse(List)}, naming {@code option} in the error. */
    static Map<String, String> parse(List<String> sets, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        if (sets == null) {
            return out;
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " expects key=value; got '" + s + "'");
            }
            out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return out;
    }
}
