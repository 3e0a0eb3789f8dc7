package io.github.mlpzoo.timeseries.patchtsmixer;

import io.github.mlpzoo.core.weights.KeyMap;

/**
 * Hugging Face's {@code PatchTSMixerForPrediction} state_dict names → {@link PatchTSMixer}'s parameters
 * (i = layer, m = mixer, L = layers; mixers are numbered 01 channel (mix_channel only), then patch, then feature):
 * <pre>
 *   model.encoder.patcher.{weight,bias}                                → 02patcher_{weight,bias}
 *   model.encoder.mlp_mixer_encoder.mixers.{i}.{m}.norm.norm.{weight,bias}   → {i+3}layer_{m}_01norm_{gamma,beta}
 *     (BatchNorm: ...norm.norm.batchnorm.{weight,bias,running_mean,running_var} → gamma, beta, runningMean, runningVar)
 *   ....{m}.mlp.fc1.* / fc2.*                                          → {i+3}layer_{m}_02mlp_01fc1_* / 02fc2_*
 *   ....{m}.gating_block.attn_layer.*                                  → {i+3}layer_{m}_03gate_01attn_*
 *   head.base_forecast_block.{weight,bias}                             → {L+3}head_{weight,bias}
 * </pre>
 * with {@code m} = {@code channel_feature_mixer}, {@code patch_mixer}, {@code feature_mixer} → {@code 01channelMixer},
 * {@code 0kpatchMixer}, {@code 0kfeatureMixer}. Shapes agree between the two (Linear (out, in)).
 */
public final class PatchTSMixerKeyMap {

    private PatchTSMixerKeyMap() {}

    /** The key map for a model built from {@code config}. */
    public static KeyMap of(PatchTSMixerConfig config) {
        String mixers = "model\\.encoder\\.mlp_mixer_encoder\\.mixers\\.(\\d+)\\.";
        KeyMap.Builder b = KeyMap.builder()
                .rename("model\\.encoder\\.patcher\\.(weight|bias)", "02patcher_{1}")
                .rename("head\\.base_forecast_block\\.(weight|bias)",
                        String.format("%02dhead_{1}", config.layers() + 3));
        boolean mix = config.mode() == PatchTSMixerConfig.Mode.MIX_CHANNEL;
        String[][] names = mix
                ? new String[][] {{"channel_feature_mixer", "01channelMixer"}, {"patch_mixer", "02patchMixer"},
                    {"feature_mixer", "03featureMixer"}}
                : new String[][] {{"patch_mixer", "01patchMixer"}, {"feature_mixer", "02featureMixer"}};
        for (String[] n : names) {
            String hf = mixers + n[0] + "\\.";
            String ours = "{1+3}layer_" + n[1] + "_";
            b.rename(hf + "norm\\.norm\\.(?:batchnorm\\.)?weight", ours + "01norm_gamma")
                    .rename(hf + "norm\\.norm\\.(?:batchnorm\\.)?bias", ours + "01norm_beta")
                    .rename(hf + "norm\\.norm\\.batchnorm\\.running_mean", ours + "01norm_runningMean")
                    .rename(hf + "norm\\.norm\\.batchnorm\\.running_var", ours + "01norm_runningVar")
                    .rename(hf + "mlp\\.fc1\\.(weight|bias)", ours + "02mlp_01fc1_{2}")
                    .rename(hf + "mlp\\.fc2\\.(weight|bias)", ours + "02mlp_02fc2_{2}")
                    .rename(hf + "gating_block\\.attn_layer\\.(weight|bias)", ours + "03gate_01attn_{2}");
        }
        return b.build();
    }
}
