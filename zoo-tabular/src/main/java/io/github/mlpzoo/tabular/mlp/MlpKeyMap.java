package io.github.mlpzoo.tabular.mlp;

import io.github.mlpzoo.core.weights.KeyMap;

import java.util.regex.Pattern;

/**
 * The key map from the official TabM paper code's {@code state_dict} ({@code paper/bin/model.py},
 * {@code Model(arch_type="plain")}: {@code backbone.blocks.{i}.0.*}, {@code output.*}) to {@link Mlp}'s
 * parameters, taken name for name from {@link Mlp#officialKeys} so that the table lives in one place.
 */
public final class MlpKeyMap {

    private MlpKeyMap() {}

    /** The key map for a block built from {@code config}. */
    public static KeyMap of(MlpConfig config) {
        KeyMap.Builder b = KeyMap.builder();
        Mlp.officialKeys(config).forEach((official, ours) -> b.rename(Pattern.quote(official), ours));
        return b.build();
    }
}
