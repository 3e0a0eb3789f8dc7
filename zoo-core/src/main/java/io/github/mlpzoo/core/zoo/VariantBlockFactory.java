package io.github.mlpzoo.core.zoo;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * DJL {@link BlockFactory} behind a saved model directory: {@code serving.properties} names it with
 * {@code blockFactory=}, the variant with {@code variant=}, and every other plain key is a config
 * override (see {@link Zoo#save}). The params file is checked before DJL reads it: against the checksum
 * {@link Zoo#save} wrote beside it, or, in a directory without one, by parsing it whole into a throw-away block.
 */
public final class VariantBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** The argument naming the registered variant. */
    public static final String VARIANT_KEY = "variant";

    /** Arguments DJL itself puts beside ours; they are not config keys. */
    static final Set<String> DJL_KEYS = Set.of(
            "engine", "blockFactory", "application", "translatorFactory", "translator", "modelName", "seed",
            VARIANT_KEY);

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        Object name = arguments.get(VARIANT_KEY);
        if (name == null) {
            throw new IllegalArgumentException(
                    "model directory " + modelPath + " has no '" + VARIANT_KEY + "=' in serving.properties");
        }
        Map<String, String> overrides = overrides(arguments);
        if (modelPath != null) {
            try {
                // DJL's loader would skip a params file with a spoiled magic silently, and replace parameters
                // one by one from a truncated one: refuse a damaged file before DJL reads it
                ParamsFile.verifyDir(modelPath, () -> Zoo.create(name.toString(), overrides), model.getNDManager());
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return Zoo.create(name.toString(), overrides);
    }

    /** The config overrides among DJL arguments: every key that is not one of DJL's own, as strings. */
    static Map<String, String> overrides(Map<String, ?> arguments) {
        Map<String, String> out = new LinkedHashMap<>();
        if (arguments == null) {
            return out;
        }
        for (Map.Entry<String, ?> e : arguments.entrySet()) {
            if (!DJL_KEYS.contains(e.getKey()) && e.getValue() != null) {
                Object v = e.getValue();
                out.put(e.getKey(), v instanceof Iterable<?> it ? join(it) : Configs.format(v));
            }
        }
        return out;
    }

    private static String join(Iterable<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object o : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            // Gson reads JSON integers in arguments as doubles: 208.0 -> 208
            sb.append(o instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : o);
        }
        return sb.toString();
    }
}
