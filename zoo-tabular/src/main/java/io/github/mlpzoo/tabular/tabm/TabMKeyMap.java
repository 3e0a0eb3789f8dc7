package io.github.mlpzoo.tabular.tabm;

import io.github.mlpzoo.core.weights.KeyMap;

import java.util.regex.Pattern;

/**
 * The key map from the official {@code tabm.TabM} {@code state_dict} to {@link TabM}'s parameters, taken name for
 * name from {@link TabM#officialKeys}. The piecewise-linear encoding's {@code num_module.impl.mask} buffer (present
 * when features have different bin counts) is ignored: the padding it marks is already zero in the encoding
 * constants. {@code single_bin_mask} is not ignored, so a checkpoint with a single-bin feature (unsupported) fails
 * to load instead of loading wrongly.
 */
public final class TabMKeyMap {

    private TabMKeyMap() {}

    /** The key map for a model built from {@code config}. */
    public static KeyMap of(TabMConfig config) {
        KeyMap.Builder b = KeyMap.builder();
        TabM.officialKeys(config).forEach((official, ours) -> b.rename(Pattern.quote(official), ours));
        b.ignore(Pattern.quote("num_module.impl.mask"));
        return b.build();
    }
}
