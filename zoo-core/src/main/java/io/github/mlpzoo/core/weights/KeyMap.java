package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the names of an official PyTorch state_dict to the parameter paths of our block, as a small table
 * of patterns declared next to each model.
 *
 * <p>Each rule is a regular expression that must match a whole official name, and a template for our
 * path, where {@code {n}} is group {@code n} verbatim and {@code {n+k}}, {@code {n-k}}, {@code {n*a+k}}
 * read group {@code n} as an integer and print the result with two digits, as DJL numbers child blocks
 * ({@code addChildBlock} gives {@code 01Linear}, {@code 02...}). The first matching rule wins. Our paths are
 * the names of DJL's {@code block.getParameters()}, e.g. {@code 01SequentialBlock_01Linear_weight}.
 * <pre>{@code
 * KeyMap.builder()
 *     .rename("blocks\\.(\\d+)\\.0\\.(weight|bias)", "01SequentialBlock_{1+1}Linear_{2}")
 *     .rename("norm\\.weight", "02LayerNorm_gamma")
 *     .build();
 * }</pre>
 * Names ending in {@code num_batches_tracked} are always ignored; {@link Builder#ignore} drops others.
 * A rule may carry a transform for tensors stored in another layout (e.g. a 1x1 conv kernel loaded into a
 * Linear: {@code w -> w.reshape(w.getShape().slice(0, 2))}).
 */
public final class KeyMap {

    private static final Pattern REF = Pattern.compile("\\{(\\d+)(?:\\*(\\d+))?(?:([+-])(\\d+))?}");
    private static final Pattern NUM_BATCHES_TRACKED = Pattern.compile("(.*\\.)?num_batches_tracked");

    /** One rule: official-name pattern, our-path template, and an optional transform. */
    private record Rule(Pattern pattern, String template, UnaryOperator<NDArray> transform) {}

    /** The outcome of mapping one official name: our path and the transform to apply (or null). */
    record Target(String path, UnaryOperator<NDArray> transform) {}

    /** Marks an official name the map deliberately drops. */
    static final Target IGNORED = new Target(null, null);

    private final List<Rule> rules;
    private final List<Pattern> ignored;

    private KeyMap(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.ignored = List.copyOf(b.ignored);
    }

    /** Starts an empty map; add rules in priority order. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Our parameter path for the official name {@code key}, or null if the map ignores it or no rule
     * matches.
     */
    public String map(String key) {
        Target t = target(key);
        return t == null ? null : t.path();
    }

    /** The target of {@code key}: {@link #IGNORED}, a path with its transform, or null if no rule matches. */
    Target target(String key) {
        for (Pattern p : ignored) {
            if (p.matcher(key).matches()) {
                return IGNORED;
            }
        }
        for (Rule r : rules) {
            Matcher m = r.pattern.matcher(key);
            if (m.matches()) {
                return new Target(expand(r.template, m), r.transform);
            }
        }
        return null;
    }

    private static String expand(String template, Matcher m) {
        Matcher ref = REF.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (ref.find()) {
            String g = m.group(Integer.parseInt(ref.group(1)));
            String repl;
            if (ref.group(2) == null && ref.group(3) == null) {
                repl = g;
            } else {
                long v = Long.parseLong(g);
                if (ref.group(2) != null) {
                    v *= Long.parseLong(ref.group(2));
                }
                if (ref.group(3) != null) {
                    long k = Long.parseLong(ref.group(4));
                    v += ref.group(3).equals("+") ? k : -k;
                }
                repl = String.format("%02d", v);
            }
            ref.appendReplacement(sb, Matcher.quoteReplacement(repl));
        }
        ref.appendTail(sb);
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KeyMap[");
        for (Rule r : rules) {
            sb.append(r.pattern.pattern()).append(" -> ").append(r.template).append("; ");
        }
        for (Pattern p : ignored) {
            sb.append("ignore ").append(p.pattern()).append("; ");
        }
        return sb.append(']').toString();
    }

    /** Builder for {@link KeyMap}. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private final List<Pattern> ignored = new ArrayList<>(List.of(NUM_BATCHES_TRACKED));

        private Builder() {}

        /** Maps official names matching {@code regex} (whole name) to {@code template}. */
        public Builder rename(String regex, String template) {
            return rename(regex, template, null);
        }

        /**
         * Maps official names matching {@code regex} to {@code template}, applying {@code transform} to the
         * official tensor first (it must return a new array).
         */
        public Builder rename(String regex, String template, UnaryOperator<NDArray> transform) {
            Pattern p = Pattern.compile(Objects.requireNonNull(regex, "regex"));
            Objects.requireNonNull(template, "template");
            int groups = p.matcher("").groupCount();
            Matcher ref = REF.matcher(template);
            while (ref.find()) {
                int g = Integer.parseInt(ref.group(1));
                if (g < 1 || g > groups) {
                    throw new IllegalArgumentException("template '" + template + "' refers to group " + g
                            + " but '" + regex + "' has " + groups + " groups");
                }
            }
            String rest = REF.matcher(template).replaceAll("");
            if (rest.contains("{") || rest.contains("}")) {
                throw new IllegalArgumentException("template '" + template + "' has a malformed {...};"
                        + " expected {n}, {n+k}, {n-k} or {n*a+k}");
            }
            rules.add(new Rule(p, template, transform));
            return this;
        }

        /** Drops official names matching {@code regex} (whole name): they are neither loaded nor reported. */
        public Builder ignore(String regex) {
            ignored.add(Pattern.compile(Objects.requireNonNull(regex, "regex")));
            return this;
        }

        public KeyMap build() {
            return new KeyMap(this);
        }
    }
}
