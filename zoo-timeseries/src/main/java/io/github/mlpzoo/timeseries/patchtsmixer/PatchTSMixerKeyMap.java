package io.github.mlpzoo.timeseries.patchtsmixer;

import io.github.mlpzoo.core.weights.KeyMap;

/**
 * Hugging Face's PatchTSMixer state_dict names → our parameters. The backbone ({@code model.*}, HF
 * {@code PatchTSMixerModel}) is child {@code 01model} of every head (i = layer, L = layers; mixers are numbered 01
 * channel (mix_channel only), then patch, then feature):
 * <pre>
 *   model.encoder.patcher.{weight,bias}                                     → 01model_02patcher_{weight,bias}
 *   model.encoder.mlp_mixer_encoder.mixers.{i}.{m}.norm.norm.{weight,bias}  → 01model_{i+3}layer_{m}_01norm_{gamma,beta}
 *     (BatchNorm: ...norm.norm.batchnorm.{weight,bias,running_mean,running_var} → gamma, beta, runningMean, runningVar)
 *   ....{m}.mlp.fc1.* / fc2.*                                    → ..._{m}_02mlp_01fc1_* / 02fc2_*
 *   ....{m}.gating_block.attn_layer.*                            → ..._{m}_03gate_01attn_*
 *   ....patch_mixer.self_attn_layer.{q,k,v,out}_proj.*           → ..._0kpatchMixer_{g}attention_0j{q,k,v,out}Proj_*
 *   ....patch_mixer.norm_attn.norm.*                             → ..._0kpatchMixer_{g+1}normAttn_*   (g = 04, or 03 ungated)
 *   model.encoder.positional_encoder.position_enc                → 01model_{L+3}positions_positionEnc (RANDOM; SINCOS: ignored)
 * </pre>
 * with {@code m} = {@code channel_feature_mixer}, {@code patch_mixer}, {@code feature_mixer} → {@code 01channelMixer},
 * {@code 0kpatchMixer}, {@code 0kfeatureMixer}. The heads add theirs: forecasting {@code head.base_forecast_block.*} →
 * {@code 02head_*}; see {@link PatchTSMixerForPretraining} and {@link PatchTSMixerForTargets}. Shapes agree (Linear
 * (out, in)).
 */
public final class PatchTSMixerKeyMap {

    private PatchTSMixerKeyMap() {}

    /** The key map for a forecasting model ({@link PatchTSMixer}) built from {@code config}. */
    public static KeyMap of(PatchTSMixerConfig config) {
        return model(config).rename("head\\.base_forecast_block\\.(weight|bias)", "02head_{1}").build();
    }

    /** The backbone's rules ({@code model.*} → {@code 01model_*}), to which a head adds its own. */
    static KeyMap.Builder model(PatchTSMixerConfig config) {
        String mixers = "model\\.encoder\\.mlp_mixer_encoder\\.mixers\\.(\\d+)\\.";
        KeyMap.Builder b = KeyMap.builder()
                .rename("model\\.encoder\\.patcher\\.(weight|bias)", "01model_02patcher_{1}")
                .rename("model\\.encoder\\.positional_encoder\\.position_enc",
                        String.format("01model_%02dpositions_positionEnc", config.layers() + 3));
        if (config.positionalEncoding() != PatchTSMixerConfig.PositionalEncoding.RANDOM) {
            b.ignore("model\\.encoder\\.positional_encoder\\.position_enc"); // the fixed sincos table
        }
        boolean mix = config.mode() == PatchTSMixerConfig.Mode.MIX_CHANNEL;
        String[][] names = mix
                ? new String[][] {{"channel_feature_mixer", "01channelMixer"}, {"patch_mixer", "02patchMixer"},
                    {"feature_mixer", "03featureMixer"}}
                : new String[][] {{"patch_mixer", "01patchMixer"}, {"feature_mixer", "02featureMixer"}};
        int g = config.gatedAttn() ? 4 : 3;
        for (String[] n : names) {
            String hf = mixers + n[0] + "\\.";
            String ours = "01model_{1+3}layer_" + n[1] + "_";
            if (n[0].equals("patch_mixer")) {
                b.rename(hf + "self_attn_layer\\.q_proj\\.(weight|bias)", ours + String.format("%02dattention_01qProj_{2}", g))
                        .rename(hf + "self_attn_layer\\.k_proj\\.(weight|bias)", ours + String.format("%02dattention_02kProj_{2}", g))
                        .rename(hf + "self_attn_layer\\.v_proj\\.(weight|bias)", ours + String.format("%02dattention_03vProj_{2}", g))
                        .rename(hf + "self_attn_layer\\.out_proj\\.(weight|bias)",
                                ours + String.format("%02dattention_04outProj_{2}", g))
                        .rename(hf + "norm_attn\\.norm\\.(?:batchnorm\\.)?weight", ours + String.format("%02dnormAttn_gamma", g + 1))
                        .rename(hf + "norm_attn\\.norm\\.(?:batchnorm\\.)?bias", ours + String.format("%02dnormAttn_beta", g + 1))
                        .rename(hf + "norm_attn\\.norm\\.batchnorm\\.running_mean",
                                ours + String.format("%02dnormAttn_runningMean", g + 1))
                        .rename(hf + "norm_attn\\.norm\\.batchnorm\\.running_var",
                                ours + String.format("%02dnormAttn_runningVar", g + 1));
            }
            b.rename(hf + "norm\\.norm\\.(?:batchnorm\\.)?weight", ours + "01norm_gamma")
                    .rename(hf + "norm\\.norm\\.(?:batchnorm\\.)?bias", ours + "01norm_beta")
                    .rename(hf + "norm\\.norm\\.batchnorm\\.running_mean", ours + "01norm_runningMean")
                    .rename(hf + "norm\\.norm\\.batchnorm\\.running_var", ours + "01norm_runningVar")
                    .rename(hf + "mlp\\.fc1\\.(weight|bias)", ours + "02mlp_01fc1_{2}")
                    .rename(hf + "mlp\\.fc2\\.(weight|bias)", ours + "02mlp_02fc2_{2}")
                    .rename(hf + "gating_block\\.attn_layer\\.(weight|bias)", ours + "03gate_01attn_{2}");
        }
        return b;
    }
}
