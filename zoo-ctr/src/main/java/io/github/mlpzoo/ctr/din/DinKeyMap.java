package io.github.mlpzoo.ctr.din;

import io.github.mlpzoo.core.weights.KeyMap;

import java.util.regex.Pattern;

/**
 * The key map from DeepCTR-Torch's {@code DIN} / {@code WDL} state_dict ({@code embedding_dict.*},
 * {@code attention.local_att.*}, {@code dnn.linears.*}, {@code dnn_linear.weight}, {@code out.bias}) to {@link Din},
 * name for name from {@link Din#officialKeys}; Dice's {@code alpha} (units, 1) is flattened to (units). The linear
 * part of {@code WDL} built with no linear features has no parameters and is not expected.
 */
public final class DinKeyMap {

    private DinKeyMap() {}

    /** The key map for a block built from {@code config}. */
    public static KeyMap of(DinConfig config) {
        KeyMap.Builder b = KeyMap.builder();
        Din.officialKeys(config).forEach((official, ours) -> {
            if (official.endsWith(".alpha")) {
                b.rename(Pattern.quote(official), ours, a -> a.reshape(a.getShape().size()));
            } else {
                b.rename(Pattern.quote(official), ours);
            }
        });
        return b.build();
    }
}
